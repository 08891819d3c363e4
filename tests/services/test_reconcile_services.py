"""Reconciliation used by services alone: times without an offset read in the injected zone (New York), the key
must post for the campaign, apply stores through the webhook's path once, the diff, the export reader's caps, and
who may do what."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

import openpyxl
import pytest

from coordinator.domain.errors import InvalidInput, MalformedInput, PermissionDenied
from coordinator.domain.events import TalliesChanged
from coordinator.domain.reconcile import RowKind
from coordinator.extensions import db
from coordinator.models import SaleEvent
from coordinator.services import keys, reconcile, reconcile_apply, reconcile_diff, reconcile_files, spreadsheets
from tests.services.conftest import actor

HEADER = "order_id,kind,session_id,product_id,quantity,amount_fen,occurred_at\n"


def _file(env, *orders: str) -> bytes:
    lines = [f"{o},order,{env.ids['SS_host']},{env.ids['PA1']},1,3990,2026-11-11 20:00:00" for o in orders]
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_an_upload_reads_local_times_in_the_injected_zone_and_remembers_the_mapping(env, settings):
    owner = actor(env, "owner")
    rec = reconcile.upload(owner, settings, env.ids["C"], env.key_id, "orders.csv", _file(env, "s-1"))
    assert (rec.rows, rec.missing_here, rec.created_by_id) == (1, 1, env.ids["user:owner"])
    [row] = reconcile.rows_of(rec, RowKind.MISSING_HERE)
    assert row.occurred_at == datetime(2026, 11, 12, 1, tzinfo=timezone.utc)  # 20:00 in New York
    key = reconcile.key_for_campaign(env.key_id, env.ids["C"])
    assert reconcile.remembered_mapping(key)["occurred_at"] == "occurred_at"
    assert reconcile.key_id_of(rec) == env.key_id
    assert [r.id for r in reconcile.campaign_reconciliations(owner, env.ids["C"])][0] == rec.id


def test_a_key_that_does_not_post_for_the_campaign_is_refused(env, settings):
    other, _secret = keys.create_ingest_key(actor(env, "admin"), "抖音", [env.ids["E"]])
    with pytest.raises(InvalidInput) as refused:
        reconcile.key_for_campaign(other.key_id, env.ids["C"])
    assert refused.value.errors[0].field == "ingest_key_id"
    with pytest.raises(InvalidInput):
        reconcile.upload(actor(env, "owner"), settings, env.ids["C"], other.key_id, "o.csv", _file(env, "s-1"))


def test_apply_stores_once_and_the_team_alone_may_do_it(env):
    with pytest.raises(PermissionDenied):
        reconcile_apply.apply(actor(env, "viewer"), env.ids["RC"])
    outcome = reconcile_apply.apply(actor(env, "editor"), env.ids["RC"])
    assert (outcome.value.accepted, outcome.value.duplicates) == (1, 0)
    assert isinstance(outcome.events[0], TalliesChanged) and ("campaign", env.ids["C"]) in outcome.events[0].scopes
    assert db.session.query(SaleEvent).filter_by(order_id="rc-1").count() == 1
    again = reconcile_apply.apply(actor(env, "owner"), env.ids["RC"])
    assert (again.value.accepted, again.value.duplicates, again.events) == (0, 1, [])
    viewer = actor(env, "viewer")
    assert reconcile.reconciliation_for(viewer, env.ids["RC"]).accepted == 1
    with pytest.raises(PermissionDenied):
        reconcile.reconciliation_for(actor(env, "partner"), env.ids["RC"])


def test_the_diff_in_both_formats(env, settings):
    owner = actor(env, "owner")
    text = (HEADER + f"x-1,order,999,{env.ids['PA1']},1,100,2026-11-11 20:00\n").encode()
    rec = reconcile.upload(owner, settings, env.ids["C"], env.key_id, "o.csv", text)
    [unknown] = reconcile.rows_of(rec, RowKind.UNKNOWN)
    assert reconcile_diff.problem_text(unknown) == "no session 999 in this campaign"
    table = reconcile_diff.diff_table(owner, settings, rec.id)
    assert [r[2] for r in table] == ["x-1"] and table[0][0] == "场次或商品无法对应"
    assert reconcile_diff.diff_csv(owner, settings, rec.id).data.decode("utf-8-sig").count("x-1") == 1
    book = openpyxl.load_workbook(io.BytesIO(reconcile_diff.diff_xlsx(owner, settings, rec.id).data))
    assert book.active.cell(row=2, column=3).value == "x-1"


def test_the_export_reader_takes_xlsx_through_calamine_and_refuses_bombs(env):
    book = openpyxl.Workbook()
    book.active.append(["订单编号", "下单时间"])
    book.active.append(["t-1", datetime(2026, 11, 11, 20, 5)])
    data = io.BytesIO()
    book.save(data)
    sheet = reconcile_files.read_export("淘宝.xlsx", data.getvalue())
    assert sheet.header == ["订单编号", "下单时间"] and sheet.rows == [(2, ["t-1", datetime(2026, 11, 11, 20, 5)])]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (8 << 20) + b"</a>")
    with pytest.raises(MalformedInput):
        spreadsheets.refuse_bombs(bomb.getvalue())
    with pytest.raises(MalformedInput):
        reconcile_files.read_export("x.xlsx", bomb.getvalue())
