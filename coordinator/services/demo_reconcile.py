"""The demo's reconciliation of last year's Double 11: the platform's own export of its orders, as platforms write
them (订单编号, 实付金额 in yuan, local times), with the few differences a real export has against the webhook's
record: orders the webhook never delivered, coupons applied after the webhook had posted, orders the export left
out, and one order of another shop's session."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Reconciliation, SaleEvent, User
from coordinator.services import access, reconcile
from coordinator.services.demo_results import FinishedCampaign

HEADER = ["订单编号", "类型", "直播场次ID", "商品ID", "购买数量", "实付金额", "下单时间", "买家昵称"]
FILENAME = "淘宝直播订单导出-2025双十一.csv"


def _export(settings: Settings, sales: list[SaleEvent]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)

    def line(order_id, kind, session_id, product_id, quantity, fen, when):
        local = when.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M:%S")
        writer.writerow([order_id, "退款" if kind == "refund" else "订单", session_id, product_id, quantity,
                         f"{fen / 100:.2f}", local, "买家"])

    for index, sale in enumerate(sales):
        if index in (40, 1200, 3100):
            continue  # left out of the platform's export: missing there
        fen = sale.amount_fen - 500 if index in (7, 2500) and sale.kind == "order" else sale.amount_fen
        line(sale.order_id, sale.kind, sale.session_id, sale.product_id, sale.quantity, fen, sale.occurred_at)
    last = sales[-1]
    for n in range(1, 5):  # paid on the night, never delivered by the webhook: missing here
        line(f"D11-2025-LATE-{n}", "order", last.session_id, last.product_id, 1, 3990,
             last.occurred_at + timedelta(minutes=n))
    line("D11-2025-OTHER-1", "order", 999_999, last.product_id, 1, 3990, last.occurred_at)  # unknown session
    return out.getvalue().encode("utf-8-sig")


def load(settings: Settings, commissioner: User, finished: FinishedCampaign) -> Reconciliation | None:
    """The finished campaign's reconciliation against its platform export; once (None if it sold nothing)."""
    done = db.session.scalar(select(Reconciliation).filter_by(campaign_id=finished.campaign_id))
    if done is not None:
        return done
    sales = list(db.session.scalars(select(SaleEvent).where(
        SaleEvent.campaign_id == finished.campaign_id, SaleEvent.ingest_key_id == finished.key_row_id).order_by(
        SaleEvent.id)))
    if len(sales) < 3200:
        return None
    return reconcile.upload(access.actor_for(commissioner), settings, finished.campaign_id, finished.key_id, FILENAME,
                            _export(settings, sales))
