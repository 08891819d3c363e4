"""Turning what people type into spreadsheet cells into typed values."""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from coordinator.domain.catalog import format_clock, parse_clock
from coordinator.domain.plain_errors import _  # marks the messages below for the catalog; pages translate them

TRUE_WORDS = {"true", "yes", "y", "1", "是", "对", "√", "✓"}
FALSE_WORDS = {"false", "no", "n", "0", "否", "不是", "×", "✗"}
WEEKDAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4, "周六": 5, "周日": 6, "周天": 6,
    "星期一": 0, "星期二": 1, "星期三": 2, "星期四": 3, "星期五": 4, "星期六": 5, "星期日": 6, "星期天": 6,
}
WEEKDAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
LIST_SEPARATORS = re.compile(r"[\n;；|]+")
TAG_SEPARATORS = re.compile(r"[,，、;；|/\n]+")
# Numbers are matched against these before anything converts them, so no text can make a conversion costly:
# up to 15 digits, thousands commas only between groups of three, no exponents, no other scripts' digits.
MAX_DIGITS = 15
MAX_NUMBER_TEXT = 40
FULL_WIDTH = str.maketrans("０１２３４５６７８９，．＋－￥", "0123456789,.+-¥")  # what Chinese input methods type
_DIGITS = r"[0-9]{1,3}(?:,[0-9]{3}){1,4}|[0-9]{1,15}"
WHOLE = re.compile(rf"([+-]?)({_DIGITS})(?:\.0+)?")
TEN_THOUSANDS = re.compile(r"([+-]?)([0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,11})(?:\.([0-9]{1,4}))? ?万")
YUAN = re.compile(rf"¥? ?([+-]?)({_DIGITS})(?:\.([0-9]+))?")
WINDOW = re.compile(r"^\s*(\S+?)\s*(\d{1,2}:\d{2})\s*[-–~至到]\s*(\d{1,2}:\d{2})\s*$")


def blank(value: Any) -> bool:
    """True for an empty cell."""
    return value is None or (isinstance(value, str) and not value.strip())


def to_int(value: Any) -> int:
    """A whole number from 12, 12.0, '12', '1,200', '１２' or '52万' (ten thousands)."""
    if isinstance(value, bool) or isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise ValueError(_("expected a whole number"))
    if isinstance(value, (int, float)):
        return _bounded(int(value), _("expected a whole number"))
    text = _number_text(value, _("expected a whole number"))
    if match := WHOLE.fullmatch(text):
        return _signed(match[1], _digits(match[2]))
    if match := TEN_THOUSANDS.fullmatch(text):
        return _signed(match[1], _digits(match[2]) * 10_000 + int((match[3] or "").ljust(4, "0")))
    raise ValueError(_("expected a whole number"))


def yuan_to_fen(value: Any) -> int:
    """Yuan as typed (5.8, '5.80', '¥5.8', '1,299.00') to integer fen, refusing fractions of a fen."""
    if isinstance(value, bool) or isinstance(value, float) and not math.isfinite(value):
        raise ValueError(_("expected an amount in yuan, e.g. 5.80"))
    if isinstance(value, int):
        return _bounded(value, _("expected an amount in yuan, e.g. 5.80")) * 100
    match = YUAN.fullmatch(_number_text(value, _("expected an amount in yuan, e.g. 5.80")))
    if not match:
        raise ValueError(_("expected an amount in yuan, e.g. 5.80"))
    fraction = match[3] or ""
    if fraction[2:].strip("0"):
        raise ValueError(_("at most two decimal places"))
    return _signed(match[1], _digits(match[2]) * 100 + int(fraction[:2].ljust(2, "0")))


def _number_text(value: Any, message: str) -> str:
    # Only short text reaches the patterns: a number that fits in 15 digits is never longer than this.
    text = str(value).strip()
    if len(text) > MAX_NUMBER_TEXT:
        raise ValueError(message)
    return text.translate(FULL_WIDTH)


def _digits(text: str) -> int:
    return int(text.replace(",", ""))


def _signed(sign: str, number: int) -> int:
    return -number if sign == "-" else number


def _bounded(number: int, message: str) -> int:
    if abs(number) >= 10**MAX_DIGITS:
        raise ValueError(message)
    return number


def to_bool(value: Any) -> bool:
    """Yes or no in English or Chinese."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(_("expected yes/no (是/否)"))


def to_date(value: Any) -> date:
    """A date from a spreadsheet date cell or 'YYYY-MM-DD' / 'YYYY/MM/DD' text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError as exc:
        raise ValueError(_("expected a date like 2026-11-11")) from exc


def to_list(value: Any, tags: bool = False) -> list[str]:
    """Items separated by new lines or semicolons (tags also by commas)."""
    pattern = TAG_SEPARATORS if tags else LIST_SEPARATORS
    return [item.strip() for item in pattern.split(str(value)) if item.strip()]


def to_windows(value: Any) -> list[tuple[int, int, int]]:
    """Weekly windows such as '周五 19:00-24:00; Sat 20:00-23:00'."""
    windows = []
    for part in to_list(value):
        match = WINDOW.match(part)
        day = WEEKDAYS.get(match.group(1).lower()[:3] if match and match.group(1).isascii() else
                           match.group(1) if match else "")
        if not match or day is None:
            raise ValueError(_("write windows like 周五 19:00-24:00; Sat 20:00-23:00"))
        windows.append((day, parse_clock(match.group(2).zfill(5)), parse_clock(match.group(3).zfill(5))))
    return windows


def format_windows(windows: list[tuple[int, int, int]]) -> str:
    """Windows back into the text to_windows reads."""
    return "; ".join(f"{WEEKDAY_NAMES[d]} {format_clock(s)}-{format_clock(e)}" for d, s, e in windows)
