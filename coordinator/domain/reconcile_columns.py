"""The fields a platform's order export is read into, the names platforms give their columns, and their cells.

A file with the contract's own headers (order_id, kind, session_id, product_id, quantity, amount_fen,
occurred_at) needs no mapping; the Chinese names of the big platforms' exports (订单编号, 实付金额, 商品ID …)
are recognised too. Anything else is mapped by hand, once per ingest key.
"""
from __future__ import annotations

from datetime import datetime, tzinfo
import re
from typing import Any, Callable

from coordinator.domain import cells
from coordinator.domain.errors import FieldError, InvalidInput
from coordinator.domain.plain_errors import _

# Field -> the column names it is known by, the contract's own first. Amounts come in fen or in yuan.
FIELDS: dict[str, tuple[str, ...]] = {
    "order_id": ("order_id", "订单编号", "订单号", "子订单编号", "订单ID", "id"),
    "kind": ("kind", "类型", "订单类型", "交易类型"),
    "session_id": ("session_id", "直播场次ID", "场次ID", "直播ID", "场次"),
    "product_id": ("product_id", "商品ID", "商品编号", "商品id"),
    "quantity": ("quantity", "购买数量", "商品数量", "数量"),
    "amount_fen": ("amount_fen", "金额（分）", "金额(分)", "实付金额（分）", "实付金额(分)"),
    "amount_yuan": ("amount_yuan", "实付金额", "实付款", "实付金额（元）", "实付金额(元)", "金额（元）", "金额(元)",
                    "金额"),
    "occurred_at": ("occurred_at", "下单时间", "付款时间", "支付时间", "订单创建时间", "创建时间", "时间"),
}
REQUIRED = ("order_id", "session_id", "product_id", "quantity", "occurred_at")
AMOUNTS = ("amount_fen", "amount_yuan")
# What platforms write in a kind column; a file without one holds orders only.
KIND_WORDS = {"order": "order", "refund": "refund", "订单": "order", "支付": "order", "付款": "order",
              "成交": "order", "已付款": "order", "退款": "refund", "售后退款": "refund", "退货退款": "refund",
              "已退款": "refund"}

Mapping = dict[str, str]


def _norm(title: str) -> str:
    return str(title).replace(" ", "").replace("\u3000", "").lower()


def suggested(header: list[str], remembered: Mapping | None = None) -> Mapping:
    """Each field's column: the remembered one where the file has it, else one the field is known by."""
    present = {_norm(title): title for title in header if title}
    mapping: Mapping = {}
    for field, names in FIELDS.items():
        if remembered and remembered.get(field) and _norm(remembered[field]) in present:
            mapping[field] = present[_norm(remembered[field])]
            continue
        found = next((present[_norm(name)] for name in names if _norm(name) in present), None)
        if found is not None:
            mapping[field] = found
    if "amount_fen" in mapping and "amount_yuan" in mapping:
        del mapping["amount_yuan"]  # both present: the exact one wins
    return mapping


def checked(mapping: Mapping, header: list[str]) -> dict[str, int]:
    """Each mapped field's column index; a 422 naming every required field without a column of the file."""
    index = {_norm(title): i for i, title in enumerate(header) if title}
    errors = [FieldError(f"choose the file's column for {field}", field=f"mapping.{field}")
              for field in REQUIRED if not mapping.get(field)]
    if not any(mapping.get(field) for field in AMOUNTS):
        errors.append(FieldError("choose the file's column for amount_fen or amount_yuan", field="mapping.amount_fen"))
    columns: dict[str, int] = {}
    for field, title in mapping.items():
        if field not in FIELDS:
            errors.append(FieldError(f"unknown field {field!r}", field=f"mapping.{field}"))
        elif title:
            if _norm(title) not in index:
                errors.append(FieldError(f"the file has no column {title!r}", field=f"mapping.{field}"))
            else:
                columns[field] = index[_norm(title)]
    if errors:
        shown = ", ".join(title for title in header if title)[:500]
        raise InvalidInput(f"Map the file's columns to the order fields (the file's columns: {shown}).", errors)
    return columns


def to_kind(value: Any) -> str:
    """order or refund, from the platform's own word for it."""
    word = KIND_WORDS.get(str(value).strip().lower())
    if word is None:
        raise ValueError(_("expected order or refund (订单 or 退款)"))
    return word


def to_moment(value: Any, zone: tzinfo) -> datetime:
    """A time from a date-time cell or text; one without an offset is in the coordinator's time zone."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            text = text.replace("/", "-").replace("T", " ")
            try:
                moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
            except ValueError as exc:
                raise ValueError(_("expected a time like 2026-11-11 20:15:00")) from exc
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PLAIN_YUAN = re.compile(r"(\d{1,12})(?:\.(\d{1,2}))?")


def _order_id(value: Any) -> str:
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    if not text or len(text) > 128 or _CONTROL.search(text):
        raise ValueError(_("expected an order id of 1 to 128 characters"))
    return text


def _whole(value: Any) -> int:
    # Most cells are plain digits; cells.to_int reads the rest ('1,200', '１２', 12.0 …).
    kind = type(value)
    if kind is str and value.isdigit():
        return int(value)
    if kind is float and value.is_integer() and abs(value) < 2**53:
        return int(value)  # spreadsheets keep every number as a float
    return value if kind is int else cells.to_int(value)


def _positive(value: Any) -> int:
    number = _whole(value)
    if number <= 0:
        raise ValueError(_("must be more than 0"))
    return number


def _yuan(value: Any) -> int:
    kind = type(value)
    if kind is str and (match := _PLAIN_YUAN.fullmatch(value)):
        return int(match[1]) * 100 + int((match[2] or "").ljust(2, "0"))
    if kind is float and 0 <= value < 1e12:
        fen = round(value * 100)
        if abs(value * 100 - fen) < 1e-6:  # 39.9 is 3989.9999… as a float; a third decimal is refused below
            return fen
    return cells.yuan_to_fen(value)


def row_reader(columns: dict[str, int], zone: tzinfo) -> Callable[[list[Any]], tuple[dict[str, Any], tuple | None]]:
    """A reader of a file's rows into order fields, and the first problem (field, message id) of a row."""
    readers = [(field, columns[field], reader) for field, reader in (
        ("order_id", _order_id), ("kind", to_kind), ("session_id", _positive), ("product_id", _positive),
        ("quantity", _positive), ("amount_fen", _whole), ("amount_yuan", _yuan),
        ("occurred_at", lambda v: to_moment(v, zone))) if field in columns]

    def read(row: list[Any]) -> tuple[dict[str, Any], tuple[str, str] | None]:
        values: dict[str, Any] = {"kind": "order"}
        width = len(row)
        for field, index, reader in readers:
            raw = row[index] if index < width else None
            if raw is None or raw == "" or (type(raw) is str and not raw.strip()):
                if field == "kind":
                    continue
                return values, (field, _("required"))
            try:
                values["amount_fen" if field == "amount_yuan" else field] = reader(raw)
            except ValueError as exc:
                return values, (field, str(exc))
        if values.get("amount_fen", 0) < 0:
            return values, ("amount_fen", _("must not be negative"))
        return values, None

    return read


def read_row(cells_in: list[Any], columns: dict[str, int], zone: tzinfo) -> tuple[dict[str, Any], tuple | None]:
    """One file row's order fields, and its first problem (field, message id) if a cell cannot be read."""
    return row_reader(columns, zone)(cells_in)
