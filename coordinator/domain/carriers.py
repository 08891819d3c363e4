"""The parcel carriers hosts receive samples by, and the tracking link of each (built, never fetched)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

# Kuaidi100's public look-up page takes a carrier code and a number and shows the carrier's own tracking: one
# link that works for every carrier below, opened by the reader's browser (the coordinator fetches nothing).
LOOKUP = "https://www.kuaidi100.com/chaxun?com={code}&nu={number}"
NUMBER = re.compile(r"[A-Za-z0-9]{6,32}")


@dataclass(frozen=True)
class Carrier:
    """A carrier: its code here, its names, its code on the look-up page and what its numbers look like."""

    code: str
    name_zh: str
    name_en: str
    lookup_code: str
    pattern: re.Pattern[str]
    aliases: tuple[str, ...] = ()


CARRIERS = (
    Carrier("sf", "顺丰速运", "SF Express", "shunfeng", re.compile(r"(?:SF)?\d{12,13}", re.I), ("顺丰", "sf express", "sf-express")),
    Carrier("ems", "EMS/中国邮政", "EMS / China Post", "ems", re.compile(r"(?:[A-Z]{2}\d{9}[A-Z]{2}|\d{13})", re.I),
            ("中国邮政", "邮政", "ems", "china post", "邮政ems")),
    Carrier("jd", "京东物流", "JD Logistics", "jd", re.compile(r"JD[A-Z0-9]{11,16}", re.I),
            ("京东", "京东快递", "jd logistics", "jdl")),
    Carrier("zto", "中通快递", "ZTO Express", "zhongtong", re.compile(r"\d{12,15}"), ("中通", "zto express")),
    Carrier("yto", "圆通速递", "YTO Express", "yuantong", re.compile(r"YT\d{10,16}", re.I), ("圆通", "yto express")),
    Carrier("sto", "申通快递", "STO Express", "shentong", re.compile(r"\d{12,15}"), ("申通", "sto express")),
    Carrier("yunda", "韵达快递", "Yunda Express", "yunda", re.compile(r"\d{13,15}"), ("韵达", "yunda express")),
    Carrier("best", "百世快递", "Best Express", "huitongkuaidi", re.compile(r"\d{12,15}"),
            ("百世", "百世汇通", "汇通", "best express", "best")),
)
BY_CODE = {carrier.code: carrier for carrier in CARRIERS}
_NAMES = {name.lower(): carrier for carrier in CARRIERS
          for name in (carrier.code, carrier.name_zh, carrier.name_en, *carrier.aliases)}


def find_carrier(text: str) -> Carrier | None:
    """The carrier a code or a name (Chinese or English, as people write it) stands for, or None."""
    return _NAMES.get((text or "").strip().lower())


def tracking_problem(carrier: Carrier, number: str) -> str | None:
    """Why a tracking number cannot be this carrier's, or None when it can."""
    if not NUMBER.fullmatch(number):
        return "a tracking number is 6 to 32 letters and digits"
    if not carrier.pattern.fullmatch(number):
        return f"not a {carrier.name_en} tracking number"
    return None


def normalized_number(number: str) -> str:
    """A tracking number as carriers print it: no spaces, letters in capitals."""
    return re.sub(r"[\s-]+", "", number or "").upper()


def tracking_url(carrier_code: str | None, number: str | None) -> str | None:
    """The page that shows a parcel's way, or None without a known carrier and a number."""
    carrier = BY_CODE.get(carrier_code or "")
    if carrier is None or not number:
        return None
    return LOOKUP.format(code=carrier.lookup_code, number=quote(number, safe=""))
