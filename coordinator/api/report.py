"""Results: GET /api/v1/campaigns/{id}/report (.xlsx, .csv) and /sessions/{id}/report (CONTRACT section 8).

Every list is complete. Money is fen, shares and rates are fractions (null where there is nothing to divide by),
times carry an offset, days and hours are in COORDINATOR_TIMEZONE. Who sees what follows `campaign.read_part`
(sessions: `item.read`): the team sees everything. A county partner sees the campaign's totals, by_day and by_hour
(the campaign's totals over time), and the rest cut to their own share as the policy's item filter draws it:
by_county their counties, by_product their counties' products, by_session the sessions whose lineup holds one of
their products, and by_streamer the hosts of those sessions, each session and host counted for the partner's
products alone (so those two lists add up to the partner's share, not to the totals). A partner's session report
keeps the session's totals and minutes (as its tally shows them) and lists their own products and counties.
"""
from __future__ import annotations

from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.files import CSV, XLSX, FileResponse
from coordinator.api.report_schemas import ReportOut, SessionReportOut, TableQuery
from coordinator.api.spec import api_spec
from coordinator.domain.report import Figures
from coordinator.domain.report_lines import Report
from coordinator.domain.report_session import SessionReport
from coordinator.edge import download_response, settings
from coordinator.services import report, report_xlsx


def _figures(f: Figures, rates: bool = False) -> dict:
    out = {"orders": f.orders, "units": f.units, "gross_fen": f.gross_fen, "refunded_fen": f.refunded_fen,
           "net_fen": f.net_fen}
    if rates:
        out.update(average_order_fen=f.average_order_fen, refund_rate=f.refund_rate)
    return out


def _line(line, figures: Figures, rates: bool = False) -> dict:
    fields = {k: v for k, v in vars(line).items() if k != "figures"}
    return {**fields, **_figures(figures, rates)}


def report_body(r: Report) -> dict:
    """A campaign's report as JSON."""
    totals = {k: v for k, v in vars(r.totals).items() if k != "figures"}
    return {
        "campaign_id": r.campaign_id, "name": r.name, "status": r.status, "starts_at": r.starts_at.isoformat(),
        "ends_at": r.ends_at.isoformat(), "zone": r.zone, "at": r.at.isoformat(), "partial": r.partial,
        "totals": {**totals, **_figures(r.totals.figures, rates=True)},
        "by_county": [_line(c, c.figures) for c in r.counties],
        "by_product": [_line(p, p.figures, rates=True) for p in r.products],
        "by_streamer": [_line(h, h.figures, rates=True) for h in r.hosts],
        "by_session": [{**_line(s, s.figures), "starts_at": s.starts_at.isoformat(),
                        "ends_at": s.ends_at.isoformat()} for s in r.sessions],
        "by_day": [{"day": day.isoformat(), **_figures(f)} for day, f in r.days],
        "by_hour": [{"hour": hour, **_figures(f)} for hour, f in enumerate(r.hours)],
    }


def session_report_body(r: SessionReport) -> dict:
    """A session's report as JSON."""
    return {
        "session_id": r.session_id, "campaign_id": r.campaign_id, "campaign_name": r.campaign_name,
        "title": r.title, "status": r.status, "starts_at": r.starts_at.isoformat(), "ends_at": r.ends_at.isoformat(),
        "streamer_id": r.streamer.id, "streamer_name": r.streamer.display_name, "at": r.at.isoformat(),
        "partial": r.partial,
        "totals": {**_figures(r.figures, rates=True), "minutes_live": r.minutes_live,
                   "net_per_live_hour_fen": r.net_per_live_hour_fen},
        "by_product": [_line(p, p.figures, rates=True) for p in r.products],
        "by_county": [_line(c, c.figures) for c in r.counties],
        "by_minute": [{"minute": minute.isoformat(), **_figures(f)} for minute, f in r.minutes],
    }


@bp.get("/campaigns/<int:campaign_id>/report")
@api_spec.validate(resp=Response(HTTP_200=ReportOut), tags=["report"])
def campaign_report(campaign_id: int):
    """A campaign's results: totals and every county, product, host, session, day and hour (see the module)."""
    return report_body(report.campaign_report(actor(), settings(), campaign_id))


@bp.get("/campaigns/<int:campaign_id>/report.xlsx")
@api_spec.validate(resp=FileResponse(XLSX), tags=["report"])
def campaign_report_xlsx(campaign_id: int):
    """The report as a workbook: a sheet per table, money in yuan, and native charts."""
    return download_response(report_xlsx.report_xlsx(actor(), settings(), campaign_id))


@bp.get("/campaigns/<int:campaign_id>/report.csv")
@api_spec.validate(resp=FileResponse(CSV), tags=["report"])
def campaign_report_csv(campaign_id: int, query: TableQuery):
    """One table of the report as UTF-8 CSV (with a BOM), money in yuan."""
    return download_response(report_xlsx.report_csv(actor(), settings(), campaign_id, query.table))


@bp.get("/sessions/<int:session_id>/report")
@api_spec.validate(resp=Response(HTTP_200=SessionReportOut), tags=["report"])
def session_report(session_id: int):
    """A session's results: totals, each product, each county and every minute with sales."""
    return session_report_body(report.session_report(actor(), session_id))
