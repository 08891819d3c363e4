"""The database itself refuses rows that break its rules, on SQLite and on PostgreSQL.

Rows go in through SQLAlchemy Core with raw values, so no service, schema or ORM check runs first:
whatever stops them is the database. Each case also checks *which* constraint stopped the row, so a
case cannot pass because its row happened to break some other rule. Cases share one seeded database
per backend (tests/models/conftest.py) and roll back whatever they did.
"""
from __future__ import annotations

from datetime import date
from contextlib import contextmanager
from typing import Any, Callable, Iterator, NamedTuple

import pytest
from sqlalchemy import (
    CheckConstraint, ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint, delete, func, select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from coordinator.extensions import db
from coordinator.models import Base
from tests.models.conftest import Seeded
from tests.models.rows import FRESH, MISSING, T0, T1, add


class Case(NamedTuple):
    name: str
    table: str
    change: Callable[[dict[str, int]], dict[str, Any]]
    constraint: str


def same(**values: Any) -> Callable[[dict[str, int]], dict[str, Any]]:
    return lambda ids: values


CHECKS = [
    Case("negative price_fen", "products", same(price_fen=-1), "ck_products_price_not_negative"),
    Case("negative stock", "products", same(stock=-1), "ck_products_stock_not_negative"),
    Case("harvest window reversed", "products", same(available_from=date(2026, 12, 1), available_to=date(2026, 11, 1)),
         "ck_products_harvest_window_ordered"),
    Case("negative followers", "streamers", same(followers=-1), "ck_streamers_followers_not_negative"),
    Case("weekday 7", "availability_windows", same(weekday=7), "ck_availability_windows_weekday_valid"),
    Case("weekday -1", "availability_windows", same(weekday=-1), "ck_availability_windows_weekday_valid"),
    Case("availability starts before midnight", "availability_windows", same(start_minute=-1),
         "ck_availability_windows_minutes_ordered"),
    Case("availability empty", "availability_windows", same(start_minute=600, end_minute=600),
         "ck_availability_windows_minutes_ordered"),
    Case("availability ends past 24h", "availability_windows", same(end_minute=1441),
         "ck_availability_windows_minutes_ordered"),
    Case("unknown role", "users", same(role="admin"), "ck_users_role_valid"),
    Case("streamer user without streamer_id", "users", same(role="streamer"), "ck_users_streamer_binding"),
    Case("commissioner bound to a streamer", "users", lambda ids: {"streamer_id": ids["streamer2"]},
         "ck_users_streamer_binding"),
    Case("negative login failures", "login_throttles", same(failures=-1), "ck_login_throttles_failures_not_negative"),
    Case("campaign ends_at equal to starts_at", "campaigns", same(ends_at=T0), "ck_campaigns_window_ordered"),
    Case("campaign ends_at before starts_at", "campaigns", same(starts_at=T1, ends_at=T0),
         "ck_campaigns_window_ordered"),
    Case("negative min_agri", "campaigns", same(min_agri_products_per_session=-1),
         "ck_campaigns_min_agri_not_negative"),
    Case("max_products zero", "campaigns", same(min_agri_products_per_session=0, max_products_per_session=0),
         "ck_campaigns_max_products_positive"),
    Case("min_agri above max_products", "campaigns", same(min_agri_products_per_session=6,
                                                          max_products_per_session=5),
         "ck_campaigns_rules_consistent"),
    Case("negative target_net_fen", "campaigns", same(target_net_fen=-1), "ck_campaigns_target_not_negative"),
    Case("unknown campaign status", "campaigns", same(status="finished"), "ck_campaigns_status_valid"),
    Case("unknown pairing status", "pairings", same(status="maybe"), "ck_pairings_status_valid"),
    Case("an owner listed among the members", "campaign_members", same(role="owner"), "ck_campaign_members_role_valid"),
    Case("unknown pairing source", "pairings", same(source="robot"), "ck_pairings_source_valid"),
    Case("session ends_at equal to starts_at", "live_sessions", same(ends_at=T0), "ck_live_sessions_slot_ordered"),
    Case("unknown session status", "live_sessions", same(status="paused"), "ck_live_sessions_status_valid"),
    Case("negative lineup position", "lineup_items", same(position=-1), "ck_lineup_items_position_not_negative"),
    Case("login link expiring as it is made", "login_links", same(expires_at=T0),
         "ck_login_links_expires_after_creation"),
    Case("reminder lead zero", "session_reminders", same(lead_minutes=0), "ck_session_reminders_lead_positive"),
    Case("unknown sale kind", "sale_events", same(kind="gift"), "ck_sale_events_kind_valid"),
    Case("sale quantity 0", "sale_events", same(quantity=0), "ck_sale_events_quantity_positive"),
    Case("sale quantity -1", "sale_events", same(quantity=-1), "ck_sale_events_quantity_positive"),
    Case("negative amount_fen", "sale_events", same(amount_fen=-1), "ck_sale_events_amount_not_negative"),
    Case("unknown tally scope", "tally_counters", same(scope="county"), "ck_tally_counters_scope_valid"),
    Case("unknown tally dimension", "tally_counters", same(dimension="city"), "ck_tally_counters_dimension_valid"),
    Case("tally counter negative orders", "tally_counters", same(orders=-1), "ck_tally_counters_orders_not_negative"),
    Case("tally counter negative gross", "tally_counters", same(gross_fen=-1), "ck_tally_counters_gross_not_negative"),
    Case("tally counter negative refunded", "tally_counters", same(refunded_fen=-1),
         "ck_tally_counters_refunded_not_negative"),
    Case("tally counter negative seq", "tally_counters", same(seq=-1), "ck_tally_counters_seq_not_negative"),
    Case("unknown minute scope", "tally_minutes", same(scope="county"), "ck_tally_minutes_scope_valid"),
    Case("tally minute negative orders", "tally_minutes", same(orders=-1), "ck_tally_minutes_orders_not_negative"),
    Case("tally minute negative gross", "tally_minutes", same(gross_fen=-1), "ck_tally_minutes_gross_not_negative"),
    Case("tally minute negative refunded", "tally_minutes", same(refunded_fen=-1),
         "ck_tally_minutes_refunded_not_negative"),
    Case("unknown channel kind", "channels", same(kind="sms"), "ck_channels_kind_valid"),
    Case("a channel of nobody", "channels", same(campaign_id=None), "ck_channels_one_owner"),
    Case("a channel of a campaign and a host", "channels", lambda ids: {"streamer_id": ids["streamer"]},
         "ck_channels_one_owner"),
    Case("unknown delivery state", "deliveries", same(state="lost"), "ck_deliveries_state_valid"),
    Case("unknown sample state", "samples", same(status="lost"), "ck_samples_status_valid"),
    Case("a sample of no units", "samples", same(quantity=0), "ck_samples_quantity_positive"),
    Case("a shipped sample without a tracking number", "samples", same(tracking_number=None),
         "ck_samples_shipped_has_tracking"),
    Case("a received sample without a carrier", "samples", same(status="received", carrier=None),
         "ck_samples_shipped_has_tracking"),
    Case("a negative count in a reconciliation", "reconciliations", same(matched=-1),
         "ck_reconciliations_counts_not_negative"),
    Case("an applied reconciliation without its counts", "reconciliations", same(accepted=None),
         "ck_reconciliations_applied_has_counts"),
    Case("counts of an apply that never happened", "reconciliations", same(applied_at=None),
         "ck_reconciliations_applied_has_counts"),
    Case("an unknown kind of reconciliation row", "reconciliation_rows", same(kind="lost"),
         "ck_reconciliation_rows_kind_valid"),
    Case("a reconciliation row neither order nor refund", "reconciliation_rows", same(sale_kind="gift"),
         "ck_reconciliation_rows_sale_kind_valid"),
    Case("an address without a recipient", "shipping_addresses", same(recipient=""),
         "ck_shipping_addresses_address_complete"),
]

# Each value clashes with a row `seed` stored.
UNIQUES = [
    Case("duplicate sku", "products", same(sku="GRITS"), "uq_products_sku"),
    Case("duplicate handle", "streamers", same(handle="xiaomei"), "uq_streamers_handle"),
    Case("duplicate username", "users", same(username="ada"), "uq_users_username"),
    Case("second user for one streamer", "users", lambda ids: {"role": "streamer", "streamer_id": ids["streamer"]},
         "uq_users_streamer_id"),
    Case("duplicate county in a province", "counties", same(name="宜君县", province="陕西省"),
         "uq_counties_province_name"),
    Case("duplicate (ingest_key_id, order_id)", "sale_events", same(order_id="o-1"),
         "uq_sale_events_ingest_key_id_order_id"),
    Case("duplicate pairing", "pairings", lambda ids: {"streamer_id": ids["streamer"], "product_id": ids["product"]},
         "uq_pairings_campaign_id_streamer_id_product_id"),
    Case("lineup duplicate position", "lineup_items", same(position=0), "uq_lineup_items_session_id_position"),
    Case("duplicate reminder", "session_reminders", same(lead_minutes=30),
         "uq_session_reminders_session_id_lead_minutes_session_starts_at"),
    Case("duplicate api token hash", "api_tokens", same(token_hash="a" * 64), "uq_api_tokens_token_hash"),
    Case("duplicate login link hash", "login_links", same(token_hash="f" * 64), "uq_login_links_token_hash"),
    Case("duplicate screen token hash", "screen_tokens", same(token_hash="c" * 64), "uq_screen_tokens_token_hash"),
    Case("duplicate ingest key_id", "ingest_keys", same(key_id="ik_1"), "uq_ingest_keys_key_id"),
    Case("duplicate product enrolment", "campaign_products", lambda ids: {"product_id": ids["product"]},
         "pk_campaign_products"),
    Case("duplicate streamer enrolment", "campaign_streamers", lambda ids: {"streamer_id": ids["streamer"]},
         "pk_campaign_streamers"),
    Case("duplicate county assignment", "commissioner_counties", lambda ids: {"county_id": ids["county"]},
         "pk_commissioner_counties"),
    Case("product twice in a lineup", "lineup_items", lambda ids: {"product_id": ids["product"], "position": 2},
         "pk_lineup_items"),
    Case("duplicate tally counter", "tally_counters", same(dimension="total", dimension_id=0), "pk_tally_counters"),
    Case("duplicate tally minute", "tally_minutes", same(minute=T0), "pk_tally_minutes"),
    Case("duplicate throttle key", "login_throttles", same(key="user:ada"), "pk_login_throttles"),
    Case("duplicate login session hash", "login_sessions", same(token_hash="8" * 64), "uq_login_sessions_token_hash"),
    Case("a member twice on one team", "campaign_members", lambda ids: {"campaign_id": ids["campaign"]},
         "pk_campaign_members"),
    Case("a key's campaign twice", "ingest_key_campaigns", lambda ids: {"campaign_id": ids["campaign"]},
         "pk_ingest_key_campaigns"),
    Case("one webhook-id for two deliveries", "deliveries", same(message_id="msg_1"), "uq_deliveries_message_id"),
    Case("a second address for a host", "shipping_addresses", lambda ids: {"streamer_id": ids["streamer"]},
         "pk_shipping_addresses"),
    Case("a late sample told twice for one session", "sample_late_notices",
         lambda ids: {"session_id": ids["session"]}, "pk_sample_late_notices"),
    Case("a second remembered mapping for a key", "reconcile_mappings", lambda ids: {"ingest_key_id": ids["key"]},
         "pk_reconcile_mappings"),
]

# Every foreign key, pointed at a row that does not exist (with whatever else the row then needs).
FK_ALSO = {"fk_users_streamer_id_streamers": {"role": "streamer"}, "fk_channels_streamer_id_streamers": {"campaign_id": None}}
FOREIGN_KEYS = [
    Case(f"{fk.columns[0].name} of a missing {fk.referred_table.name} row", table.name,
         same(**{fk.columns[0].name: MISSING}, **FK_ALSO.get(fk.name, {})), fk.name)
    for table in Base.metadata.sorted_tables for fk in sorted(table.foreign_key_constraints, key=lambda f: f.name)
]

BROKEN = CHECKS + UNIQUES + FOREIGN_KEYS


def count(table: str, **where: Any) -> int:
    t = Base.metadata.tables[table]
    return db.session.scalar(select(func.count()).select_from(t).where(*(t.c[k] == v for k, v in where.items())))


def constraint_named(name: str):
    return next(c for t in Base.metadata.tables.values() for c in t.constraints if c.name == name)


def assert_refused_by(error: IntegrityError, name: str, dialect: str) -> None:
    """The error names the expected constraint (SQLite names CHECKs, and UNIQUEs by their columns)."""
    if dialect == "postgresql":
        assert error.orig.diag.constraint_name == name, str(error.orig)
        return
    constraint = constraint_named(name)
    if isinstance(constraint, CheckConstraint):
        expected = f"CHECK constraint failed: {name}"
    elif isinstance(constraint, (UniqueConstraint, PrimaryKeyConstraint)):
        columns = ", ".join(f"{constraint.table.name}.{column.name}" for column in constraint.columns)
        expected = f"UNIQUE constraint failed: {columns}"
    else:  # SQLite does not say which foreign key failed.
        expected = "FOREIGN KEY constraint failed"
    assert str(error.orig) == expected


@contextmanager
def rolled_back(seeded: Seeded) -> Iterator[Connection]:
    """A connection in a transaction that is rolled back afterwards, whatever happens."""
    with seeded.app.app_context():
        try:
            yield db.session.connection()
        finally:
            db.session.rollback()


@pytest.mark.parametrize("case", BROKEN, ids=[f"{c.table}: {c.name}" for c in BROKEN])
def test_the_database_refuses(seeded, case):
    with rolled_back(seeded) as connection:
        row = {**FRESH[case.table](seeded.ids), **case.change(seeded.ids)}
        with pytest.raises(IntegrityError) as refused:
            add(connection, case.table, row)
    assert_refused_by(refused.value, case.constraint, connection.dialect.name)


@pytest.mark.parametrize("table", sorted(FRESH))
def test_a_valid_row_goes_in(seeded, table):
    with rolled_back(seeded) as connection:
        before = count(table)
        add(connection, table, FRESH[table](seeded.ids))
        assert count(table) == before + 1


def test_every_check_and_unique_constraint_has_a_case():
    """A constraint added to the models without a case here fails this test."""
    kinds = (CheckConstraint, UniqueConstraint, ForeignKeyConstraint)
    declared = {c.name for t in Base.metadata.tables.values() for c in t.constraints if isinstance(c, kinds)}
    # Natural primary keys (enrolments, counters...) are rules too; a surrogate id is not.
    declared |= {t.primary_key.name for t in Base.metadata.tables.values()
                 if list(t.primary_key.columns.keys()) != ["id"]}
    assert declared - {case.constraint for case in BROKEN} == set()


def test_every_table_has_a_valid_row():
    assert set(FRESH) == set(Base.metadata.tables)


def test_every_foreign_key_is_indexed():
    """By an index, primary key or unique constraint that it leads; otherwise deleting or
    joining from the parent scans the child table. (test_migrations proves the database agrees.)"""
    unindexed = []
    for table in Base.metadata.sorted_tables:
        keys = [list(i.columns.keys()) for i in table.indexes]
        keys += [list(c.columns.keys()) for c in table.constraints
                 if isinstance(c, (UniqueConstraint, PrimaryKeyConstraint))]
        for fk in table.foreign_key_constraints:
            columns = list(fk.columns.keys())
            if not any(key[:len(columns)] == columns for key in keys):
                unindexed.append(fk.name)
    assert unindexed == []


def test_every_foreign_key_says_what_deleting_its_parent_does():
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            assert fk.ondelete in ("CASCADE", "RESTRICT", "SET NULL"), fk.name
            if fk.ondelete == "SET NULL":
                assert all(column.nullable for column in fk.columns), fk.name


# Deleting a parent: history is protected (RESTRICT), owned rows go with their owner (CASCADE),
# and references to people are cleared (SET NULL).
RESTRICTED = [
    ("county with products", "counties", "county"),
    ("product enrolled, paired, scheduled and sold", "products", "product"),
    ("streamer with a user", "streamers", "streamer"),
    ("campaign with a session", "campaigns", "campaign"),
    ("session with a sale", "live_sessions", "session"),
    ("ingest key with a sale", "ingest_keys", "key"),
]


@pytest.mark.parametrize("table,key", [c[1:] for c in RESTRICTED], ids=[c[0] for c in RESTRICTED])
def test_deleting_a_referenced_row_is_refused(seeded, table, key):
    target = Base.metadata.tables[table]
    with rolled_back(seeded) as connection:
        with pytest.raises(IntegrityError) as refused:
            connection.execute(delete(target).where(target.c.id == seeded.ids[key]))
    if connection.dialect.name == "postgresql":
        # Several foreign keys may protect the row; the first one checked is reported.
        fk = constraint_named(refused.value.orig.diag.constraint_name)
        assert fk.referred_table.name == table and fk.ondelete == "RESTRICT"
    else:
        assert str(refused.value.orig) == "FOREIGN KEY constraint failed"


def test_deleting_owners_cascades_or_clears_references(seeded):
    ids = seeded.ids
    with rolled_back(seeded):
        tables = Base.metadata.tables
        db.session.execute(delete(tables["campaigns"]).where(tables["campaigns"].c.id == ids["campaign2"]))
        assert count("campaign_products", campaign_id=ids["campaign2"]) == 0
        assert count("pairings", campaign_id=ids["campaign2"]) == 0
        assert count("screen_tokens") == 0 and count("ingest_key_campaigns", campaign_id=ids["campaign2"]) == 0
        audit = db.session.execute(select(tables["audit_entries"].c.campaign_id)).scalar_one()
        assert audit is None

        db.session.execute(delete(tables["users"]).where(tables["users"].c.id == ids["commissioner2"]))
        assert count("campaign_members") == 0
        db.session.execute(delete(tables["users"]).where(tables["users"].c.id == ids["commissioner"]))
        assert count("api_tokens") == 0 and count("commissioner_counties") == 0 and count("login_sessions") == 0
        assert set(db.session.scalars(select(tables["campaigns"].c.owner_id))) == {None}
        assert set(db.session.scalars(select(tables["ingest_keys"].c.created_by_id))) == {None}
        recs = tables["reconciliations"].c
        assert set(db.session.execute(select(recs.created_by_id, recs.applied_by_id))) == {(None, None)}
        assert set(db.session.scalars(select(tables["campaigns"].c.created_by_id))) == {None}
        assert db.session.execute(select(tables["audit_entries"].c.user_id)).scalar_one() is None
        assert db.session.execute(select(tables["login_links"].c.created_by_id)).scalar_one() is None

        db.session.execute(delete(tables["sale_events"]))
        # A reconciliation keeps its rows when a sale goes (only a test deletes sales).
        assert set(db.session.scalars(select(tables["reconciliation_rows"].c.sale_event_id))) == {None}
        db.session.execute(delete(tables["live_sessions"]).where(tables["live_sessions"].c.id.in_(
            [ids["session"], ids["session2"]])))
        assert count("lineup_items") == 0 and count("session_reminders") == 0 and count("sample_late_notices") == 0

        db.session.execute(delete(tables["users"]).where(tables["users"].c.id == ids["streamer_user"]))
        assert count("login_links") == 0
        db.session.execute(delete(tables["campaign_streamers"]))
        db.session.execute(delete(tables["pairings"]))
        assert set(db.session.scalars(select(tables["samples"].c.pairing_id))) == {None}  # samples keep their history
        db.session.execute(delete(tables["samples"]))  # a sample's host and product are history: RESTRICT
        db.session.execute(delete(tables["streamers"]).where(tables["streamers"].c.id == ids["streamer"]))
        assert count("availability_windows") == 0 and count("shipping_addresses") == 0
