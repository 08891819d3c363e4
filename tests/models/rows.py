"""Valid rows for every table, written with SQLAlchemy Core so no Python-side validation runs.

`seed` stores one small, consistent world; `fresh(table, ids)` gives a further valid row of any
table that clashes with nothing in it. A test breaks one rule by overriding one or two values.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Callable

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from coordinator.models import Base

T0 = datetime(2026, 11, 10, 12, tzinfo=timezone.utc)
T1 = datetime(2026, 11, 10, 14, tzinfo=timezone.utc)
MISSING = 999_999  # an id no seeded row has

Ids = dict[str, int]


def _county(ids: Ids, name: str = "新县", province: str = "河南省") -> dict[str, Any]:
    return {"name": name, "province": province, "story": "", "created_at": T0}


def _streamer(ids: Ids, handle: str = "newhost") -> dict[str, Any]:
    return {"handle": handle, "display_name": "主播", "platform": "douyin", "followers": 0, "categories": ["fruit"],
            "region": "", "bio": "", "manager_id": None, "calendar_generation": 0, "created_at": T0, "updated_at": T0}


def _product(ids: Ids, sku: str = "NEW-1", county: str = "county") -> dict[str, Any]:
    return {"county_id": ids[county], "name": "玉米糁", "sku": sku, "category": "grain", "price_fen": 580, "stock": 10,
            "unit": "件", "is_agricultural": True, "available_from": date(2026, 9, 1),
            "available_to": date(2026, 12, 31),
            "shipping_origin": "", "selling_points": [], "image_url": "", "created_at": T0, "updated_at": T0}


def _user(ids: Ids, username: str = "newuser") -> dict[str, Any]:
    return {"username": username, "password_hash": "", "role": "commissioner", "streamer_id": None, "is_admin": False,
            "locale": "", "active": True, "created_at": T0}


def _campaign(ids: Ids, name: str = "新活动") -> dict[str, Any]:
    return {"name": name, "description": "", "starts_at": T0, "ends_at": T1, "min_agri_products_per_session": 1,
            "max_products_per_session": 5, "target_net_fen": 100_000, "status": "draft",
            "created_by_id": ids["commissioner"], "owner_id": ids["commissioner"], "created_at": T0,
            "updated_at": T0}


def _session(ids: Ids, streamer: str = "streamer2") -> dict[str, Any]:
    return {"campaign_id": ids["campaign"], "streamer_id": ids[streamer], "starts_at": T0, "ends_at": T1,
            "status": "scheduled", "title": "", "notes": "", "cancelled_at": None, "created_at": T0, "updated_at": T0}


def _sale(ids: Ids, order_id: str = "o-2") -> dict[str, Any]:
    return {"ingest_key_id": ids["key"], "order_id": order_id, "kind": "order", "campaign_id": ids["campaign"],
            "session_id": ids["session"], "product_id": ids["product"], "county_id": ids["county"],
            "streamer_id": ids["streamer"], "quantity": 1, "amount_fen": 580, "occurred_at": T0, "received_at": T0}


def _counter(ids: Ids, dimension: str = "county", dimension_id: int | None = None) -> dict[str, Any]:
    return {"scope": "campaign", "scope_id": ids["campaign"], "dimension": dimension,
            "dimension_id": ids["county"] if dimension_id is None else dimension_id, "orders": 1, "units": 1,
            "gross_fen": 580, "refunded_fen": 0, "seq": 1, "updated_at": T0}


# One builder per table: a valid row that clashes with nothing `seed` stored.
FRESH: dict[str, Callable[[Ids], dict[str, Any]]] = {
    "counties": _county,
    "streamers": _streamer,
    "products": _product,
    "users": _user,
    "campaigns": _campaign,
    "live_sessions": _session,
    "sale_events": _sale,
    "tally_counters": _counter,
    "login_throttles": lambda ids: {"key": "user:new", "failures": 1, "last_failure_at": T0, "blocked_until": None},
    "tally_minutes": lambda ids: {"scope": "campaign", "scope_id": ids["campaign"], "minute": T1, "orders": 1,
                                  "units": 1, "gross_fen": 580, "refunded_fen": 0},
    "availability_windows": lambda ids: {"streamer_id": ids["streamer2"], "weekday": 4, "start_minute": 1140,
                                         "end_minute": 1440},
    "api_tokens": lambda ids: {"user_id": ids["commissioner"], "name": "ci", "prefix": "lcc_api_new",
                               "token_hash": "b" * 64, "created_at": T0},
    "login_links": lambda ids: {"user_id": ids["streamer_user"], "created_by_id": ids["commissioner"],
                                "prefix": "lcc_link_new", "token_hash": "e" * 64, "created_at": T0, "expires_at": T1},
    "screen_tokens": lambda ids: {"campaign_id": ids["campaign"], "name": "hall", "prefix": "lcc_scr_new",
                                  "token_hash": "d" * 64, "created_at": T0},
    "ingest_keys": lambda ids: {"key_id": "ik_new", "name": "platform", "secret": "s" * 64,
                                "created_by_id": ids["commissioner"], "all_campaigns": False, "created_at": T0},
    "ingest_key_campaigns": lambda ids: {"key_id": ids["key"], "campaign_id": ids["campaign2"]},
    "campaign_members": lambda ids: {"campaign_id": ids["campaign2"], "user_id": ids["commissioner2"],
                                     "role": "editor", "added_at": T0},
    "login_sessions": lambda ids: {"user_id": ids["commissioner"], "token_hash": "9" * 64, "created_at": T0,
                                   "ended_at": None, "user_agent": "", "address": ""},
    "access_epochs": lambda ids: {"id": 2, "epoch": 0},
    "commissioner_counties": lambda ids: {"user_id": ids["commissioner"], "county_id": ids["county2"],
                                          "assigned_at": T0},
    "audit_entries": lambda ids: {"at": T0, "user_id": ids["commissioner"], "action": "update",
                                  "entity_type": "campaign", "entity_id": ids["campaign"],
                                  "campaign_id": ids["campaign"], "before": {"name": "a"}, "after": {"name": "b"}},
    "campaign_products": lambda ids: {"campaign_id": ids["campaign"], "product_id": ids["product2"],
                                      "enrolled_at": T0},
    "campaign_streamers": lambda ids: {"campaign_id": ids["campaign"], "streamer_id": ids["streamer2"],
                                       "enrolled_at": T0},
    "pairings": lambda ids: {"campaign_id": ids["campaign"], "streamer_id": ids["streamer2"],
                             "product_id": ids["product2"], "status": "proposed", "source": "engine", "score": 1.5,
                             "reasons": ["category"], "decline_reason": "", "created_at": T0, "updated_at": T0},
    "lineup_items": lambda ids: {"session_id": ids["session"], "product_id": ids["product2"], "position": 1},
    "session_reminders": lambda ids: {"session_id": ids["session"], "lead_minutes": 5, "session_starts_at": T0,
                                      "sent_at": T0, "message": ""},
    "channels": lambda ids: {"kind": "wecom", "name": "群", "campaign_id": ids["campaign"], "streamer_id": None,
                             "events": None, "url": "https://qyapi.weixin.qq.com/x", "address": "", "secret": "",
                             "locale": "zh_Hans", "enabled": True, "disabled_reason": "", "created_at": T0},
    "deliveries": lambda ids: {"channel_id": ids["channel"], "event": "session.live", "message_id": "msg_new",
                               "payload": {}, "message": {}, "state": "pending", "attempt_count": 0,
                               "next_attempt_at": T0, "claimed_by": "", "created_at": T0},
    "samples": lambda ids: {"campaign_id": ids["campaign"], "pairing_id": ids["pairing"], "streamer_id": ids["streamer"],
                            "product_id": ids["product"], "quantity": 2, "status": "shipped", "carrier": "sf",
                            "tracking_number": "SF1234567890123", "reason": "", "requested_by_id": ids["commissioner"],
                            "requested_at": T0, "shipped_at": T1, "updated_at": T1},
    "shipping_addresses": lambda ids: {"streamer_id": ids["streamer2"], "recipient": "王", "phone": "138",
                                       "address": "陕西省宜君县", "updated_at": T0},
    "sample_late_notices": lambda ids: {"sample_id": ids["sample"], "session_id": ids["session2"], "sent_at": T0},
    "reconciliations": lambda ids: {"campaign_id": ids["campaign"], "ingest_key_id": ids["key"],
                                    "created_by_id": ids["commissioner"], "created_at": T0, "filename": "淘宝.csv",
                                    "mapping": {"order_id": "订单编号"}, "rows": 2, "matched": 1, "missing_here": 1,
                                    "missing_there": 0, "different": 0, "unknown": 0, "invalid": 0,
                                    "applied_at": T1, "applied_by_id": ids["commissioner"], "accepted": 1,
                                    "duplicates": 0},
    "reconciliation_rows": lambda ids: {"reconciliation_id": ids["reconciliation"], "kind": "different", "line": 3,
                                        "order_id": "o-1", "sale_kind": "order", "session_id": ids["session"],
                                        "product_id": ids["product"], "quantity": 1, "amount_fen": 580,
                                        "occurred_at": T0, "sale_event_id": ids["sale"],
                                        "stored": {"amount_fen": 600}, "problem": None, "problem_values": None},
    "reconcile_mappings": lambda ids: {"ingest_key_id": ids["key2"], "mapping": {"order_id": "订单号"},
                                       "updated_at": T0},
    "delivery_attempts": lambda ids: {"delivery_id": ids["delivery"], "channel_id": ids["channel"], "at": T0,
                                      "status_code": 200, "latency_ms": 3, "error": "", "ok": True},
}


def add(connection: Connection, table: str, values: dict[str, Any]) -> int | None:
    """Insert one row with Core and return its single-column primary key, if it has one."""
    result = connection.execute(insert(Base.metadata.tables[table]).values(**values))
    key = result.inserted_primary_key
    return key[0] if key is not None and len(key) == 1 else None


def seed(connection: Connection) -> Ids:
    """A small world: two counties, products, streamers, campaigns; one session with a lineup and a sale."""
    ids: Ids = {}
    ids["county"] = add(connection, "counties", _county(ids, "宜君县", "陕西省"))
    ids["county2"] = add(connection, "counties", _county(ids, "石阡县", "贵州省"))
    ids["streamer"] = add(connection, "streamers", _streamer(ids, "xiaomei"))
    ids["streamer2"] = add(connection, "streamers", _streamer(ids, "laowang"))
    ids["product"] = add(connection, "products", _product(ids, "GRITS"))
    ids["product2"] = add(connection, "products", _product(ids, "APPLE"))
    ids["commissioner"] = add(connection, "users", _user(ids, "ada"))
    ids["commissioner2"] = add(connection, "users", _user(ids, "bo"))
    ids["streamer_user"] = add(connection, "users", {**_user(ids, "mei"), "role": "streamer",
                                                     "streamer_id": ids["streamer"]})
    ids["campaign"] = add(connection, "campaigns", _campaign(ids, "双十一"))
    ids["campaign2"] = add(connection, "campaigns", _campaign(ids, "年货节"))
    ids["key"] = add(connection, "ingest_keys", {**FRESH["ingest_keys"](ids), "key_id": "ik_1"})
    ids["session"] = add(connection, "live_sessions", _session(ids, "streamer"))
    ids["sale"] = add(connection, "sale_events", _sale(ids, "o-1"))
    add(connection, "tally_counters", _counter(ids, "total", 0))
    add(connection, "tally_minutes", {**FRESH["tally_minutes"](ids), "minute": T0})
    add(connection, "login_throttles", {**FRESH["login_throttles"](ids), "key": "user:ada"})
    add(connection, "api_tokens", {**FRESH["api_tokens"](ids), "token_hash": "a" * 64})
    add(connection, "login_links", {**FRESH["login_links"](ids), "token_hash": "f" * 64})
    add(connection, "commissioner_counties", {**FRESH["commissioner_counties"](ids), "county_id": ids["county"]})
    add(connection, "availability_windows", {**FRESH["availability_windows"](ids), "streamer_id": ids["streamer"]})
    add(connection, "lineup_items", {"session_id": ids["session"], "product_id": ids["product"], "position": 0})
    add(connection, "session_reminders", {**FRESH["session_reminders"](ids), "lead_minutes": 30})
    add(connection, "campaign_products", {**FRESH["campaign_products"](ids), "product_id": ids["product"]})
    add(connection, "campaign_streamers", {**FRESH["campaign_streamers"](ids), "streamer_id": ids["streamer"]})
    ids["pairing"] = add(connection, "pairings", {**FRESH["pairings"](ids), "streamer_id": ids["streamer"],
                                                  "product_id": ids["product"]})
    # The second campaign has no sessions or sales, so it may be deleted; it owns enrolments and a screen.
    add(connection, "campaign_products", {**FRESH["campaign_products"](ids), "campaign_id": ids["campaign2"]})
    add(connection, "pairings", {**FRESH["pairings"](ids), "campaign_id": ids["campaign2"]})
    add(connection, "screen_tokens", {**FRESH["screen_tokens"](ids), "campaign_id": ids["campaign2"],
                                      "token_hash": "c" * 64})
    add(connection, "audit_entries", {**FRESH["audit_entries"](ids), "campaign_id": ids["campaign2"]})
    add(connection, "ingest_key_campaigns", {**FRESH["ingest_key_campaigns"](ids), "campaign_id": ids["campaign"]})
    add(connection, "campaign_members", {**FRESH["campaign_members"](ids), "campaign_id": ids["campaign"]})
    add(connection, "login_sessions", {**FRESH["login_sessions"](ids), "token_hash": "8" * 64})
    ids["channel"] = add(connection, "channels", FRESH["channels"](ids))
    ids["delivery"] = add(connection, "deliveries", {**FRESH["deliveries"](ids), "message_id": "msg_1"})
    ids["sample"] = add(connection, "samples", {**FRESH["samples"](ids), "status": "requested", "carrier": None,
                                                "tracking_number": None})
    ids["session2"] = add(connection, "live_sessions", {**_session(ids, "streamer"), "starts_at": T1,
                                                        "ends_at": T1 + (T1 - T0)})
    add(connection, "shipping_addresses", {**FRESH["shipping_addresses"](ids), "streamer_id": ids["streamer"]})
    add(connection, "sample_late_notices", {**FRESH["sample_late_notices"](ids), "session_id": ids["session"]})
    ids["key2"] = add(connection, "ingest_keys", {**FRESH["ingest_keys"](ids), "key_id": "ik_2"})
    ids["reconciliation"] = add(connection, "reconciliations", FRESH["reconciliations"](ids))
    add(connection, "reconciliation_rows", {**FRESH["reconciliation_rows"](ids), "kind": "matched", "stored": None})
    add(connection, "reconcile_mappings", {**FRESH["reconcile_mappings"](ids), "ingest_key_id": ids["key"]})
    return ids
