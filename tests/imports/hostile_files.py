"""Hostile spreadsheets made on the fly: crafted cases and seeded random ones, CSV and XLSX."""
from __future__ import annotations

import functools
import io
import random
import re
import zipfile

from openpyxl import Workbook

SEED = 20261111
SHEET = "xl/worksheets/sheet1.xml"
ZIPPED = ("docProps/app.xml", "docProps/core.xml", "xl/theme/theme1.xml", SHEET, "xl/styles.xml", "_rels/.rels",
          "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml")
PRODUCT = ["县域", "省份", "名称", "SKU", "品类", "价格（元）", "库存", "单位", "农产品", "上市日期", "下市日期",
           "发货地", "卖点", "价格（分）"]
STREAMER = ["账号", "昵称", "平台", "粉丝数", "擅长品类", "地区", "简介", "可直播时间"]
HEADER = PRODUCT + STREAMER
NUMERIC = [HEADER.index(name) for name in ("价格（元）", "库存", "价格（分）", "粉丝数")]
HUGE = ["1e999999999", "-1e999999999", "1e999999", "9" * 400, "1e309", "inf", "-inf", "nan", "Infinity", "1e5",
        "0x10", "--1", "1_000", "٣", "²", "1,2,3", "5.805", "99999999999999999999", "+", ".", "¥", "1e-999999999",
        "0e999999999", "52万万", "1e9999万", "1" * 4301, "-" * 3000]
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1", "-2+3", "@SUM(A1)", "=1/0", "\t=cmd", "\r=x"]
TOKENS = HUGE + FORMULAS + ["", " ", "\x01", "x" * 4000, "周五 99:99-24:00", "9999-99-99", "0000-01-01",
                            "是", "maybe", "\u202e", "\ufeff", "😀" * 100, "\\x00", "\n" * 50, '"', "''", "%s%n",
                            "{{7*7}}", "<script>", "1,200", "52万", "５.８", "¥5.8", "周五 19:00-24:00", "GRITS-1"]
# Numbers written straight into the sheet XML, as a numeric cell: openpyxl casts these itself while reading.
FAR_CELL = '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
RAW_NUMBERS = ["1e999999999", "-1e999999999", "1e300", "nan", "9" * 5000, "abc", "1e-400", "0x10", ""]


def good_row(i: int) -> list:
    """A valid product-and-streamer row, so the hostile values are what fails."""
    return ["Yijun", "Shaanxi", f"宜君玉米糁 {i}", f"GRITS-{i:05d}", "grain", "5.80", 500, "袋", "是", "2026-09-01",
            "2027-03-31", "宜君县", "包邮", 580, f"host_{i:05d}", f"主播{i}", "抖音", "52万", "水果", "江西", "",
            "周五 19:00-24:00"]


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    """Rows joined the simple way, quoting only what must be, so hostile bytes stay as they are."""
    def field(value) -> str:
        text = str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text
    return "\r\n".join(",".join(field(v) for v in row) for row in rows).encode(encoding, "surrogatepass")


def xlsx_bytes(rows: list[list]) -> bytes:
    """A real workbook written by openpyxl (strings that start with = become formulas)."""
    workbook = Workbook(write_only=len(rows) > 5000)
    sheet = workbook.create_sheet() if workbook.write_only else workbook.active
    for row in rows:
        sheet.append([_xml_safe(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xml_safe(value):
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "?", value) if isinstance(value, str) else value


def rewrite(data: bytes, change, member: str = SHEET, extra: dict[str, bytes] | None = None) -> bytes:
    """The workbook with one member's XML changed (and members added), zipped again."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for name in source.namelist():
            body = source.read(name)
            target.writestr(name, change(body.decode()).encode() if name == member else body)
        for name, body in (extra or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def raw_numbers_xlsx() -> bytes:
    """Numeric cells whose text openpyxl turns into inf, nan, 1e300 or fails to cast at all."""
    rows = [HEADER] + [good_row(i) for i in range(len(RAW_NUMBERS))]
    for i in range(len(RAW_NUMBERS)):
        for column in NUMERIC:
            rows[i + 1][column] = 900_000_000 + i
    def change(xml: str) -> str:
        return re.sub(r"<v>9000000(\d\d)</v>", lambda m: f"<v>{RAW_NUMBERS[int(m.group(1))]}</v>", xml)
    return rewrite(xlsx_bytes(rows), change)


@functools.lru_cache(maxsize=8)
def dimension_xlsx(ref: str, rows: int = 2, tail: str = "") -> bytes:
    """A sheet of a few rows that declares it is far larger (and may hold one cell far away)."""
    def change(xml: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml).replace("</sheetData>",
                                                                                    tail + "</sheetData>")
    return rewrite(xlsx_bytes([HEADER] + [good_row(i) for i in range(rows)]), change)


def padded_xlsx(xml_tail: str, megabytes: int) -> bytes:
    """A sheet whose XML unpacks to many megabytes of (almost) nothing: a zip bomb."""
    filler = xml_tail * (megabytes * 1024 * 1024 // len(xml_tail))
    return rewrite(xlsx_bytes([HEADER, good_row(1)]), lambda xml: xml.replace("</sheetData>", filler + "</sheetData>"))


def hostile_cells(kind: str) -> list[list]:
    """Every hostile token in every numeric column, and in the text columns too."""
    rows = [HEADER]
    for i, token in enumerate(HUGE + FORMULAS):
        row = good_row(i)
        for column in NUMERIC + ([2, 3, 14] if token in FORMULAS else []):
            row[column] = token
        rows.append(row)
    if kind == "xlsx":
        rows += [[*good_row(90)[:6], value, *good_row(90)[7:17], value] + good_row(90)[18:]
                 for value in (10**30, -10**30, 1e300, -1e300, float("inf"), float("nan"), 2.5, 1e15, True)]
    return rows


def _random_table(rng: random.Random) -> list[list]:
    header = rng.sample(HEADER, rng.randint(1, len(HEADER))) + ["junk"] * rng.randint(0, 3)
    rng.shuffle(header)
    rows = [header] + [[rng.choice(TOKENS) if rng.random() < 0.3 else good_row(r)[HEADER.index(h)]
                        if h in HEADER else "x" for h in header] for r in range(rng.randint(0, 40))]
    if rng.random() < 0.2:  # now and then something that makes the whole file unreadable
        rng.choice(rows)[0] = rng.choice(["\x00", "x" * 6000])
    return rows


def _text(rng: random.Random, length: int) -> str:
    return "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(length))


def _mutated_xml(rng: random.Random, xml: str) -> str:
    chars = list(xml)
    for _ in range(rng.randint(1, 4)):
        chars[rng.randrange(len(chars))] = rng.choice('<>/="&;x0123456789e.-: ')
    return "".join(chars)


def _mutated(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


@functools.lru_cache(maxsize=1)
def cases() -> list[tuple[str, str, bytes]]:
    """(what it is, file name, bytes) for every hostile upload, the same ones on every run."""
    rng = random.Random(SEED)
    good_xlsx = xlsx_bytes([HEADER, good_row(1), good_row(2)])
    good_csv = csv_bytes([HEADER, good_row(1), good_row(2)])
    found = [
        ("huge numbers", "huge.csv", csv_bytes(hostile_cells("csv"))),
        ("huge numbers", "huge.xlsx", xlsx_bytes(hostile_cells("xlsx"))),
        ("raw numeric XML", "raw.xlsx", raw_numbers_xlsx()),
        ("dimension A1:XFD1000", "dim1.xlsx", dimension_xlsx("A1:XFD1000")),
        ("dimension A1:XFD1048576", "dim2.xlsx", dimension_xlsx("A1:XFD1048576")),
        ("1000 rows, dimension A1:XFD1048576", "dim3.xlsx", dimension_xlsx("A1:XFD1048576", 1000)),
        ("a real cell at XFD1048576", "far.xlsx", dimension_xlsx("A1:XFD1048576", 2, FAR_CELL)),
        ("zip bomb: 80 MiB of spaces", "bomb1.xlsx", padded_xlsx(" ", 80)),
        ("zip bomb: 30 MiB of empty rows", "bomb2.xlsx", padded_xlsx("<row/>", 30)),
        ("zip bomb: an extra member", "bomb3.xlsx", rewrite(good_xlsx, str, extra={"xl/media/x.bin": bytes(100 << 20)})),
        ("20001 rows", "rows.xlsx", xlsx_bytes([["名称"]] + [[i] for i in range(20001)])),
        ("20001 rows", "rows.csv", csv_bytes([["名称", "SKU", "库存", "账号"]] + [["x", f"S{i}", i, f"h{i}"] for i in range(20001)])),
        ("a 1 MB field", "field.csv", csv_bytes([HEADER, ["x" * (1 << 20)] + good_row(1)[1:]])),
        ("a 100 000 character name", "name.csv", csv_bytes([HEADER, good_row(1)[:2] + ["名" * 100_000] + good_row(1)[3:]])),
        ("an unclosed quote", "quote.csv", good_csv + b'\r\n"' + b"x" * 200_000),
        ("32767 characters in a cell", "long.xlsx", xlsx_bytes([HEADER, [_text(rng, 32767)] * 2 + good_row(1)[2:]])),
        ("20000 columns", "wide.csv", csv_bytes([HEADER + [f"c{i}" for i in range(20000)], good_row(1) + ["1"] * 20000])),
        ("half a million commas", "commas.csv", csv_bytes([HEADER, good_row(1)]) + b"," * 500_000),
        ("3000 real columns", "wide.xlsx", xlsx_bytes([HEADER + [f"c{i}" for i in range(3000)]] +
                                                      [good_row(r) + [r] * 3000 for r in range(5)])),
        ("formulas in cells", "formulas.csv", csv_bytes([HEADER] + [[f] * len(HEADER) for f in FORMULAS])),
        ("formulas in cells", "formulas.xlsx", xlsx_bytes([HEADER] + [[f] * len(HEADER) for f in FORMULAS])),
        ("NUL bytes", "nul.csv", good_csv.replace(b"Yijun", b"Yi\x00jun")),
        ("only NUL bytes", "nul2.csv", bytes(100_000)),
        ("UTF-16", "utf16.csv", csv_bytes([HEADER, good_row(1)], "utf-16")),
        ("UTF-32", "utf32.csv", csv_bytes([HEADER, good_row(1)], "utf-32")),
        ("neither UTF-8 nor GB18030", "latin.csv", b"\xff\xfe\xfd\x80\x81" * 1000),
        ("a lone surrogate", "surrogate.csv", csv_bytes([HEADER, ["\ud800"] + good_row(1)[1:]], "utf-8")),
        ("an XLSX named .csv", "zip.csv", good_xlsx),
        ("a CSV named .xlsx", "csv.xlsx", good_csv),
        ("empty", "empty.xlsx", b""), ("empty", "empty.csv", b""),
        ("half a zip", "half.xlsx", good_xlsx[: len(good_xlsx) // 2]),
        ("a zip of a text file", "text.xlsx", _without(rewrite(good_xlsx, str, extra={"a.txt": b"hi"}), *ZIPPED)),
        ("sheet XML that does not close", "xml.xlsx", rewrite(good_xlsx, lambda x: x.replace("</sheetData>", "</sheetDat>"))),
        ("a shared string that is not there", "sst.xlsx", rewrite(good_xlsx, lambda x: re.sub(
            r't="inlineStr"><is><t>[^<]*</t></is>', 't="s"><v>99999</v>', x))),
        ("a date cell that is no date", "date.xlsx", rewrite(good_xlsx, lambda x: re.sub(
            r'<c r="J2" t="inlineStr"><is><t>[^<]*</t></is>', '<c r="J2" t="d"><v>not a date</v>', x))),
        ("a cell beyond column XFD", "col.xlsx", rewrite(good_xlsx, lambda x: x.replace('r="A2"', 'r="ZZZZ2"'))),
        ("a workbook without its sheet", "nosheet.xlsx", _without(good_xlsx, SHEET)),
        ("3 MiB, over the request limit", "big.csv", csv_bytes([HEADER]) + b"\r\n" + b"x," * (3 << 19)),
    ]
    found += [(f"random table {i}", f"random{i}.csv", csv_bytes(_random_table(rng))) for i in range(30)]
    found += [(f"random table {i}", f"random{i}.xlsx", xlsx_bytes(_random_table(rng))) for i in range(15)]
    found += [(f"mutated workbook {i}", f"mutated{i}.xlsx", _mutated(rng, good_xlsx)) for i in range(10)]
    found += [(f"mutated sheet XML {i}", f"xml{i}.xlsx", rewrite(good_xlsx, lambda x: _mutated_xml(rng, x)))
              for i in range(20)]
    return found


def _without(data: bytes, *members: str) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name not in members:
                target.writestr(name, source.read(name))
    return out.getvalue()
