"""The catalogue of every page of the service a person can open: each GET endpoint that renders HTML, with the
demo's ids filled in and who opens it.

The browser's accessibility test walks it (tests/e2e/test_every_page_accessible.py), the weak-network benchmark
weighs it, and tests/e2e/test_page_catalogue.py fails when the url_map gains a page the catalogue does not list.

Ids are read from the demo's database. The two capability links (a screen link and a streamer's login link) are
stored only as hashes, so the catalogue adds one of each, labelled "Page catalogue", the first time it is asked about a
database, and reuses them after (a test process asks once).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from sqlalchemy import create_engine, insert, text

from coordinator.domain import secrets as secret_rules

from coordinator.services.demo_data import COMMISSIONER, STREAMER_USER

ANONYMOUS, COMMISSIONER_ROLE, STREAMER_ROLE = "anonymous", "commissioner", "streamer"
ROLES = (ANONYMOUS, COMMISSIONER_ROLE, STREAMER_ROLE)
# The demo's logins, (username, password), by role.
LOGINS = {COMMISSIONER_ROLE: COMMISSIONER[:2], STREAMER_ROLE: STREAMER_USER[:2]}
CATALOGUE_LABEL = "Page catalogue"

# Endpoints that answer GET but are no page a person reads: the catalogue leaves them out, for these reasons.
NOT_PAGES = {
    "static": "CSS, scripts and images",
    "main.ical_feed": "a calendar feed (.ics) for calendar apps",
    "plan.campaign_export": "a spreadsheet download (xlsx/csv)",
    "plan.campaign_results_csv": "a CSV download",
    "plan.campaign_results_xlsx": "a spreadsheet download",
    "plan.sample_export": "a spreadsheet download (xlsx/csv)",
    "plan.sample_import_template": "a CSV template download",
    "reconcile_pages.diff_csv": "a CSV download",
    "reconcile_pages.diff_xlsx": "a spreadsheet download",
    "plan.sample_row": "one <tr> the sample board's script swaps in, not a page",
    "screen.scopes": "JSON the screen's script reads",
    "screen.series": "JSON the screen's script reads",
}


@dataclass(frozen=True)
class CataloguePage:
    """One page: a unique short name (used in screenshot names), who opens it, and its path on the server."""

    name: str
    role: str
    path: str


@dataclass(frozen=True)
class DemoIds:
    """The demo's rows the pages are about."""

    campaign: int
    finished_campaign: int
    live_session: int
    scheduled_session: int
    ended_session: int
    product: int
    streamer: int
    own_streamer: int
    own_session: int
    own_product: int
    county: int
    reconciliation: int
    reconciliation_campaign: int
    screen_token: str
    login_token: str


def catalogue(database_url: str) -> list[CataloguePage]:
    """Every page of the demo loaded into the database at database_url."""
    ids = demo_ids(database_url)
    c, f = ids.campaign, ids.finished_campaign
    anonymous = [
        ("login", "/login"),
        ("login-link", f"/login/link/{ids.login_token}"),
        ("screen", f"/screen/{ids.screen_token}"),
        ("not-found", "/no-such-page"),
    ]
    commissioner = [
        ("dashboard", "/"),
        ("tokens", "/account/tokens"),
        ("campaign", f"/campaigns/{c}"),
        ("campaign-new", "/campaigns/new"),
        ("campaign-edit", f"/campaigns/{c}/edit"),
        ("plan", f"/campaigns/{c}/plan"),
        ("pairings", f"/campaigns/{c}/pairings"),
        ("calendar", f"/campaigns/{c}/calendar"),
        ("campaign-channels", f"/campaigns/{c}/channels"),
        ("screens", f"/campaigns/{c}/screens"),
        ("results", f"/campaigns/{c}/results"),
        ("results-finished", f"/campaigns/{f}/results"),
        ("sample-board", f"/campaigns/{c}/samples"),
        ("sample-import", f"/campaigns/{c}/samples/import"),
        ("reconciliations", f"/campaigns/{ids.reconciliation_campaign}/reconciliations"),
        ("reconciliation", f"/reconciliations/{ids.reconciliation}"),
        ("session-edit", f"/sessions/{ids.scheduled_session}/edit"),
        ("session-results-live", f"/sessions/{ids.live_session}/results"),
        ("session-results-ended", f"/sessions/{ids.ended_session}/results"),
        ("products", "/products"),
        ("product-new", "/products/new"),
        ("product-edit", f"/products/{ids.product}/edit"),
        ("streamers", "/streamers"),
        ("streamer-new", "/streamers/new"),
        ("streamer-edit", f"/streamers/{ids.streamer}/edit"),
        ("streamer-channels", f"/streamers/{ids.streamer}/channels"),
        ("streamer-login-links", f"/streamers/{ids.own_streamer}/login-links"),
        ("counties", "/counties"),
        ("county-edit", f"/counties/{ids.county}/edit"),
        ("import-products", "/import/products"),
        ("import-streamers", "/import/streamers"),
        ("ingest-keys", "/ingest-keys"),
        ("deliveries", "/deliveries"),
    ]
    streamer = [
        ("streamer-home", "/"),
        ("my-profile", "/my/profile"),
        ("my-samples", "/my/samples"),
        ("my-channels", "/my/channels"),
        ("my-brief", f"/my/products/{ids.own_product}"),
        ("my-live", f"/my/sessions/{ids.own_session}/live"),
        ("my-tokens", "/account/tokens"),
    ]
    return ([CataloguePage(name, ANONYMOUS, path) for name, path in anonymous]
            + [CataloguePage(name, COMMISSIONER_ROLE, path) for name, path in commissioner]
            + [CataloguePage(name, STREAMER_ROLE, path) for name, path in streamer])


@lru_cache(maxsize=None)
def demo_ids(database_url: str) -> DemoIds:
    """Read the demo's ids (and add the two capability links) once per database and process."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            one = lambda sql, **params: connection.execute(text(sql), params).scalar_one()  # noqa: E731
            first = lambda sql, **params: connection.execute(text(sql), params).scalars().first()  # noqa: E731
            campaign = one("SELECT campaign_id FROM live_sessions WHERE status = 'live' ORDER BY id LIMIT 1")
            finished = first("SELECT id FROM campaigns WHERE status = 'closed' ORDER BY id") or campaign
            user_id, own_streamer = connection.execute(
                text("SELECT id, streamer_id FROM users WHERE username = :name"), {"name": STREAMER_USER[0]}).one()
            own_session, own_product = connection.execute(text(
                "SELECT s.id, l.product_id FROM live_sessions s JOIN lineup_items l ON l.session_id = s.id "
                "WHERE s.streamer_id = :streamer ORDER BY s.status = 'live' DESC, s.id, l.position LIMIT 1"),
                {"streamer": own_streamer}).one()
            reconciliation, reconciliation_campaign = connection.execute(
                text("SELECT id, campaign_id FROM reconciliations ORDER BY id LIMIT 1")).one()
            return DemoIds(
                campaign=campaign, finished_campaign=finished,
                live_session=one("SELECT id FROM live_sessions WHERE status = 'live' ORDER BY id LIMIT 1"),
                scheduled_session=one("SELECT id FROM live_sessions WHERE status = 'scheduled' AND campaign_id = :c "
                                      "ORDER BY id LIMIT 1", c=campaign),
                ended_session=one("SELECT id FROM live_sessions WHERE status = 'ended' ORDER BY id LIMIT 1"),
                product=one("SELECT product_id FROM campaign_products WHERE campaign_id = :c ORDER BY product_id "
                            "LIMIT 1", c=campaign),
                streamer=one("SELECT streamer_id FROM campaign_streamers WHERE campaign_id = :c "
                             "ORDER BY streamer_id LIMIT 1", c=campaign),
                own_streamer=own_streamer, own_session=own_session, own_product=own_product,
                county=one("SELECT id FROM counties ORDER BY id LIMIT 1"),
                reconciliation=reconciliation, reconciliation_campaign=reconciliation_campaign,
                screen_token=_add_screen_link(connection, campaign),
                login_token=_add_login_link(connection, user_id),
            )
    finally:
        engine.dispose()


def _add_screen_link(connection, campaign_id: int) -> str:
    """A screen link for the campaign, as the screens page makes one (its token is stored only as a hash)."""
    from coordinator.models import ScreenToken
    token = secret_rules.new_token("screen")
    connection.execute(insert(ScreenToken).values(
        campaign_id=campaign_id, name=CATALOGUE_LABEL, prefix=secret_rules.token_prefix(token),
        token_hash=secret_rules.token_digest(token), created_at=datetime.now(timezone.utc)))
    return token


def _add_login_link(connection, user_id: int) -> str:
    """A login link for the demo streamer's account, unused and valid for a year."""
    from coordinator.models import LoginLink
    token = secret_rules.new_token("link")
    now = datetime.now(timezone.utc)
    connection.execute(insert(LoginLink).values(
        user_id=user_id, prefix=secret_rules.token_prefix(token), token_hash=secret_rules.token_digest(token),
        created_at=now, expires_at=now + timedelta(days=365)))
    return token
