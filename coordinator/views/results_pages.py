"""The results pages: a campaign's report and a session's, with charts, for the screen and for print (A4), and
the report's downloads from a logged-in browser (the API's need a token)."""
from __future__ import annotations

from datetime import date, datetime, time

from flask import render_template, request
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import login_required

from coordinator.domain.report_lines import Report
from coordinator.domain.report_session import SessionReport
from coordinator.edge import download_response, settings
from coordinator.services import reconcile_pages_data, report, report_xlsx
from coordinator.services.report_tables import TABLES
from coordinator.views.pages import actor
from coordinator.views.planning import bp

TOP = 10  # the product top list's length, as the workbook's chart
def _span(starts_at, ends_at) -> str:
    """A window as the campaign page writes it, in the coordinator's zone."""
    return f"{format_datetime(starts_at, 'yyyy-MM-dd HH:mm')} – {format_datetime(ends_at, 'yyyy-MM-dd HH:mm')}"


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def campaign_charts(r: Report) -> dict:
    """What the four charts draw: net sales by day and by hour of day, county shares, the product top list."""
    return {
        "days": {"labels": [format_datetime(_midday(day), "MM-dd") for day, _f in r.days],
                 "values": [_yuan(f.net_fen) for _d, f in r.days]},
        "hours": {"labels": [f"{hour:02d}" for hour in range(24)], "values": [_yuan(f.net_fen) for f in r.hours]},
        "counties": {"labels": [line.name for line in r.counties],
                     "values": [round((line.share or 0) * 100, 1) for line in r.counties]},
        "products": {"labels": [line.name for line in r.products[:TOP]],
                     "values": [_yuan(line.figures.net_fen) for line in r.products[:TOP]]},
    }


def _midday(day: date) -> datetime:
    """A local day as an aware time in the middle of it (format_datetime shows it in the zone, never a day off)."""
    return datetime.combine(day, time(12), tzinfo=settings().zone)


def _chart_words() -> dict:
    return {"yuan": _("yuan"), "percent": _("percent of net sales")}


@bp.get("/campaigns/<int:campaign_id>/results")
@login_required
def campaign_results(campaign_id: int):
    """A campaign's results page (campaign.read_part): the team sees all, a county partner the totals and their share."""
    r = report.campaign_report(actor(), settings(), campaign_id)
    span = _span(r.starts_at, r.ends_at)
    return render_template("results/campaign.html", r=r, span=span, tables=TABLES, charts=campaign_charts(r),
                           words=_chart_words(), running_title=r.name,
                           may_reconcile=reconcile_pages_data.may_read(actor(), campaign_id))


@bp.get("/sessions/<int:session_id>/results")
@login_required
def session_results(session_id: int):
    """A session's results page (item.read): its totals, products, counties and sales minute by minute."""
    r: SessionReport = report.session_report(actor(), session_id)
    span = _span(r.starts_at, r.ends_at)
    charts = {"minutes": {"labels": [format_datetime(minute, "HH:mm") for minute, _f in r.minutes],
                          "values": [_yuan(f.net_fen) for _m, f in r.minutes]},
              "products": {"labels": [line.name for line in r.products[:TOP]],
                           "values": [_yuan(line.figures.net_fen) for line in r.products[:TOP]]}}
    title = f"{r.campaign_name} · {r.title or r.streamer.display_name}"
    return render_template("results/session.html", r=r, span=span, charts=charts, words=_chart_words(),
                           running_title=title)


@bp.get("/campaigns/<int:campaign_id>/results.xlsx")
@login_required
def campaign_results_xlsx(campaign_id: int):
    """The report as a workbook with its charts (campaign.read_part; a partner gets their share)."""
    return download_response(report_xlsx.report_xlsx(actor(), settings(), campaign_id))


@bp.get("/campaigns/<int:campaign_id>/results.csv")
@login_required
def campaign_results_csv(campaign_id: int):
    """One table of the report as CSV (?table=counties, products, ...; campaign.read_part)."""
    return download_response(report_xlsx.report_csv(actor(), settings(), campaign_id,
                                                    request.args.get("table", "totals")))
