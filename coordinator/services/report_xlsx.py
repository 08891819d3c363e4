"""A campaign's report as a workbook (a sheet per table and native Excel charts) and as a CSV per table.

Cells follow CONTRACT section 5 through spreadsheet_writing (text never a formula, numbers as numbers, times as
date-time cells); money cells show yuan ("¥#,##0.00") and shares percentages. The charts are openpyxl's, drawn by
the spreadsheet program from the sheets' own cells: net sales day by day, by hour of day, each county's share of
the campaign, and the product top list.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from itertools import zip_longest
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet.worksheet import Worksheet

from coordinator.domain import downloads
from coordinator.domain.access_facts import Actor
from coordinator.domain.downloads import Download
from coordinator.domain.errors import NotFound
from coordinator.domain.report_lines import Report
from coordinator.domain.settings import Settings
from coordinator.services.report import campaign_report
from coordinator.services.report_tables import TABLES, TITLES, report_tables, yuan
from coordinator.services.spreadsheet_writing import add_sheet, workbook_bytes, write_csv

MONEY_FORMAT = '"¥"#,##0.00'
SHARE_FORMAT = "0.0%"
# Money in yuan, fractions as percentages (the only float cells a report writes), times as the plan's.
FORMATS = ((datetime, "yyyy-mm-dd hh:mm"), (date, "yyyy-mm-dd"), (Decimal, MONEY_FORMAT), (float, SHARE_FORMAT))
TOP = 10  # the product top list's length; the county pie shows TOP - 1 counties and the rest as one slice
NET_COLUMN = 6  # days and hours: the date or hour, then orders, units, gross, refunded, net


def _pie_rows(report: Report) -> list[list[Any]]:
    """The largest counties and one slice for the rest of the campaign's net (other counties, for a partner)."""
    shown = report.counties[:TOP - 1]
    rest = report.totals.figures.net_fen - sum(line.figures.net_fen for line in shown)
    # A slice cannot be negative: a county with more refunds than sales is drawn as nothing.
    return [[line.name, yuan(max(0, line.figures.net_fen))] for line in shown] + [["其他", yuan(max(0, rest))]]


def _axes_shown(chart) -> None:
    # openpyxl marks axes deleted by default since 3.1; spreadsheet programs then draw none.
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _charts(workbook: Workbook, report: Report, sheets: dict[str, Worksheet]) -> None:
    """The chart sheet: its two small tables (county slices, product top list) and the four charts."""
    slices = _pie_rows(report)
    products = [[line.name, yuan(line.figures.net_fen)] for line in report.products[:TOP]]
    rows = [[*left, None, *right] for left, right in zip_longest(slices, products, fillvalue=[None, None])]
    sheet = add_sheet(workbook, "图表", ["县域", "净销售额（元）", "", "产品", "净销售额（元）"], rows, FORMATS)
    days, hours = sheets["days"], sheets["hours"]
    line = LineChart()
    line.title, line.y_axis.title, line.height, line.width = "每日净销售额（元）", "元", 8, 18
    line.add_data(Reference(days, min_col=NET_COLUMN, min_row=1, max_row=days.max_row), titles_from_data=True)
    line.set_categories(Reference(days, min_col=1, min_row=2, max_row=days.max_row))
    bars = BarChart()
    bars.title, bars.y_axis.title, bars.height, bars.width = "各时段净销售额（元）", "元", 8, 18
    bars.add_data(Reference(hours, min_col=NET_COLUMN, min_row=1, max_row=hours.max_row), titles_from_data=True)
    bars.set_categories(Reference(hours, min_col=1, min_row=2, max_row=hours.max_row))
    pie = PieChart()
    pie.title, pie.height, pie.width = "县域占比", 9, 12
    pie.add_data(Reference(sheet, min_col=2, min_row=1, max_row=len(slices) + 1), titles_from_data=True)
    pie.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(slices) + 1))
    pie.dataLabels = DataLabelList()
    pie.dataLabels.showPercent = True
    for chart in (line, bars):
        _axes_shown(chart)
        chart.legend = None
    sheet.add_chart(line, "H2")
    sheet.add_chart(bars, "H20")
    sheet.add_chart(pie, "H38")
    if products:
        top = BarChart()
        top.type, top.title, top.height, top.width = "bar", "产品排行（净销售额，元）", 9, 18
        top.add_data(Reference(sheet, min_col=5, min_row=1, max_row=len(products) + 1), titles_from_data=True)
        top.set_categories(Reference(sheet, min_col=4, min_row=2, max_row=len(products) + 1))
        top.y_axis.title, top.legend = "元", None
        top.x_axis.scaling.orientation = "maxMin"  # the largest at the top, as the list reads
        _axes_shown(top)
        sheet.add_chart(top, "H56")


def report_workbook(report: Report, zone: ZoneInfo) -> bytes:
    """A report as XLSX bytes: totals, the chart sheet, then a sheet per table."""
    tables = report_tables(report, zone)
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {}
    for name in TABLES:
        header, rows = tables[name]
        sheets[name] = add_sheet(workbook, TITLES[name], header, rows, FORMATS)
    sheets["totals"].column_dimensions["A"].width = 24
    sheets["totals"].column_dimensions["B"].width = 24
    _charts(workbook, report, sheets)
    workbook.move_sheet("图表", offset=1 - len(TABLES))  # just after the totals
    return workbook_bytes(workbook)


def report_xlsx(actor: Actor, settings: Settings, campaign_id: int) -> Download:
    """A campaign's report as a workbook, for whoever may read it (a partner gets their share)."""
    report = campaign_report(actor, settings, campaign_id)
    return downloads.xlsx(report_workbook(report, settings.zone), f"campaign-{campaign_id}-report.xlsx")


def report_csv(actor: Actor, settings: Settings, campaign_id: int, table: str) -> Download:
    """One table of a campaign's report as UTF-8 CSV with a BOM."""
    if table not in TABLES:
        raise NotFound(f"There is no table {table!r}; use one of {', '.join(TABLES)}.")
    report = campaign_report(actor, settings, campaign_id)
    header, rows = report_tables(report, settings.zone)[table]
    return downloads.csv(write_csv(header, rows), f"campaign-{campaign_id}-report-{table}.csv")
