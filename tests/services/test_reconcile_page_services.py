"""What the reconciliation pages read, used by services alone: the keys of a campaign with the mapping each
remembers, the list and its upload rights, a reconciliation's sections with the names of this campaign's sessions
and products only, and the mapping a page's form sends."""
from __future__ import annotations

from coordinator.domain.reconcile import RowKind
from coordinator.extensions import db
from coordinator.models import LiveSession, Product
from coordinator.services import reconcile, reconcile_pages_data
from tests.services.conftest import actor

HEADER = "order_id,kind,session_id,product_id,quantity,amount_fen,occurred_at"


def _export(env) -> bytes:
    ss, pa1, other = env.ids["SS_host"], env.ids["PA1"], env.ids["SS_other"]
    return "\n".join([HEADER, f"n-1,order,{ss},{pa1},1,2990,2026-11-12 20:00:00",
                      f"u-1,order,{other},{env.ids['PA4']},1,2990,2026-11-12 20:00:00"]).encode()


def test_the_keys_the_list_and_a_reconciliations_sections(env, settings):
    owner, viewer, partner = actor(env, "owner"), actor(env, "viewer"), actor(env, "partner")
    c, key_id = env.ids["C"], env.key_id
    keys = reconcile_pages_data.campaign_keys(c)
    assert [k.name for k in keys] == ["every campaign", "淘宝直播"] and all(k.mapping == {} for k in keys)
    assert reconcile_pages_data.may_read(viewer, c) and not reconcile_pages_data.may_read(partner, c)
    assert not reconcile_pages_data.may_read(owner, 987654)
    rec = reconcile.upload(owner, settings, c, key_id, "orders.csv", _export(env))
    listed = reconcile_pages_data.campaign_list(viewer, c)
    assert [r.id for r in listed.reconciliations] == [rec.id, env.ids["RC"]]  # newest first
    assert not listed.may_upload and listed.keys == []
    assert listed.key_names[env.ids["K"]] == ("淘宝直播", key_id)
    assert reconcile_pages_data.campaign_list(owner, c).may_upload
    page = reconcile_pages_data.reconciliation_page(viewer, rec.id)
    assert [s.kind for s in page.sections] == list(reconcile_pages_data.PAGE_ORDER) and not page.may_apply
    assert {s.kind: s.count for s in page.sections}[RowKind.MISSING_HERE] == 1
    assert page.sessions == {env.ids["SS_host"]: db.session.get(LiveSession, env.ids["SS_host"]).title}
    assert page.products == {env.ids["PA1"]: db.session.get(Product, env.ids["PA1"]).name}  # not E's PA4
    assert reconcile_pages_data.reconciliation_page(owner, rec.id).may_apply


def test_the_mapping_a_form_sends(env, settings):
    c, key_id = env.ids["C"], env.key_id
    assert reconcile_pages_data.mapping_to_send(c, key_id, {"order_id": " ", "kind": ""}) is None
    assert reconcile_pages_data.mapping_to_send(c, key_id, {"order_id": "单号 "}) == {"order_id": "单号"}
    columns = ["单号", "场次ID", "商品ID", "件数", "实付金额", "金额（分）", "下单时间"]
    guessed = reconcile_pages_data.mapping_for_columns(key_id, columns, {"quantity": "件数", "order_id": "nope"})
    assert guessed == {"session_id": "场次ID", "product_id": "商品ID", "quantity": "件数", "amount_fen": "金额（分）",
                       "occurred_at": "下单时间"}
    chosen = reconcile_pages_data.mapping_for_columns(key_id, columns, {"amount_yuan": "实付金额"})
    assert chosen["amount_yuan"] == "实付金额" and "amount_fen" not in chosen
