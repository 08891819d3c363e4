"""The columns a product or streamer spreadsheet may have, under their English or Chinese names."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from coordinator.domain import cells


@dataclass(frozen=True)
class Column:
    """A spreadsheet column: the field it fills, the names it goes by, how its cells are read."""

    field: str
    names: tuple[str, ...]
    convert: Callable[[Any], Any] = lambda value: str(value).strip()

    @property
    def title(self) -> str:
        """The header written on export (the Chinese name)."""
        return self.names[0]


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an SKU typed as a number arrives as 1001.0
    return str(value).strip()


PRODUCT_COLUMNS = (
    Column("county", ("县域", "县", "county")),
    Column("province", ("省份", "省", "province")),
    Column("name", ("名称", "产品名称", "商品名称", "name"), _text),
    Column("sku", ("SKU", "货号", "商品编码", "sku"), _text),
    Column("category", ("品类", "类别", "category"), _text),
    Column("price_fen", ("价格（元）", "价格(元)", "价格", "单价", "price_yuan", "price"), cells.yuan_to_fen),
    Column("price_fen", ("价格（分）", "价格(分)", "price_fen"), cells.to_int),
    Column("stock", ("库存", "stock"), cells.to_int),
    Column("unit", ("单位", "unit"), _text),
    Column("is_agricultural", ("农产品", "是否农产品", "is_agricultural"), cells.to_bool),
    Column("available_from", ("上市日期", "采收开始", "available_from", "harvest_from"), cells.to_date),
    Column("available_to", ("下市日期", "采收结束", "available_to", "harvest_to"), cells.to_date),
    Column("shipping_origin", ("发货地", "shipping_origin"), _text),
    Column("selling_points", ("卖点", "selling_points"), cells.to_list),
    Column("image_url", ("图片", "image_url"), _text),
)

STREAMER_COLUMNS = (
    Column("handle", ("账号", "handle"), _text),
    Column("display_name", ("昵称", "主播", "display_name"), _text),
    Column("platform", ("平台", "platform"), _text),
    Column("followers", ("粉丝数", "粉丝", "followers"), cells.to_int),
    Column("categories", ("擅长品类", "品类", "categories"), lambda value: cells.to_list(value, tags=True)),
    Column("region", ("地区", "region"), _text),
    Column("bio", ("简介", "bio"), _text),
    Column("availability", ("可直播时间", "availability"), cells.to_windows),
)

PLATFORM_ALIASES = {"淘宝直播": "taobao", "淘宝": "taobao", "抖音": "douyin", "快手": "kuaishou"}


def match_header(header: list[str], columns: tuple[Column, ...]) -> dict[int, Column]:
    """Which column each header cell is, by any of its names (case and spaces ignored); unknown ones are skipped."""
    lookup = {name.replace(" ", "").lower(): column for column in columns for name in column.names}
    return {index: lookup[title.replace(" ", "").lower()] for index, title in enumerate(header)
            if title and title.replace(" ", "").lower() in lookup}
