"""What people see of samples: a campaign's board by county with lateness, a host's own, the warnings sessions
carry when a sample is late, and the units a product has sent out."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select

from coordinator import clock
from coordinator.domain import samples as rules
from coordinator.domain.access_facts import Actor
from coordinator.domain.carriers import BY_CODE, tracking_url
from coordinator.domain.enums import SampleStatus, SessionStatus
from coordinator.domain.errors import FieldError, InvalidInput
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Campaign, County, LineupItem, LiveSession, Product, Sample, ShippingAddress, Streamer
from coordinator.services import access
from coordinator.services.sample_access import samples_clause

UPCOMING = (SessionStatus.SCHEDULED.value, SessionStatus.LIVE.value)


@dataclass
class SampleLine:
    """A sample with what a board shows beside it: names, county, tracking link, the sessions it is late for."""

    sample: Sample
    product: Product
    county: County
    streamer: Streamer
    late_sessions: list[LiveSession] = field(default_factory=list)
    ship_to: ShippingAddress | None = None

    @property
    def late(self) -> bool:
        """Not yet with the host although a session with the product starts within the lead days."""
        return bool(self.late_sessions)

    @property
    def tracking_url(self) -> str | None:
        """The carrier's tracking page for this parcel."""
        return tracking_url(self.sample.carrier, self.sample.tracking_number)

    @property
    def carrier_name(self) -> str:
        """The carrier's name in Chinese (as labels print it)."""
        carrier = BY_CODE.get(self.sample.carrier or "")
        return carrier.name_zh if carrier else ""


def late_pairs(now: datetime, lead_days: int, *where) -> list[tuple[int, int]]:
    """(sample, session) pairs where a sample still on the way has its host's session with that product starting
    within the lead days; `where` narrows them (a campaign, a host, some samples)."""
    _now, horizon = rules.late_window(now, lead_days)
    stmt = (select(Sample.id, LiveSession.id)
            .join(LiveSession, and_(LiveSession.campaign_id == Sample.campaign_id,
                                    LiveSession.streamer_id == Sample.streamer_id))
            .join(LineupItem, and_(LineupItem.session_id == LiveSession.id, LineupItem.product_id == Sample.product_id))
            .where(Sample.status.in_(rules.ON_THE_WAY), LiveSession.status.in_(UPCOMING),
                   LiveSession.starts_at <= horizon, LiveSession.ends_at > now, *where)
            .order_by(LiveSession.starts_at, Sample.id))
    return [tuple(row) for row in db.session.execute(stmt).all()]


def _lines(settings: Settings, stmt, ship_to: bool) -> list[SampleLine]:
    rows = db.session.execute(stmt.join(Product, Product.id == Sample.product_id)
                              .join(County, County.id == Product.county_id)
                              .join(Streamer, Streamer.id == Sample.streamer_id)
                              .add_columns(Product, County, Streamer)).all()
    lines = [SampleLine(sample, product, county, streamer) for sample, product, county, streamer in rows]
    by_id = {line.sample.id: line for line in lines}
    if by_id:
        pairs = late_pairs(clock.now(), settings.sample_lead_days, Sample.id.in_(by_id))
        sessions = {s.id: s for s in db.session.scalars(select(LiveSession).where(
            LiveSession.id.in_({session_id for _, session_id in pairs})))}
        for sample_id, session_id in pairs:
            by_id[sample_id].late_sessions.append(sessions[session_id])
    if ship_to:
        hosts = {line.sample.streamer_id for line in lines if line.sample.status in rules.ON_THE_WAY}
        addresses = {a.streamer_id: a for a in db.session.scalars(select(ShippingAddress).where(
            ShippingAddress.streamer_id.in_(hosts)))} if hosts else {}
        for line in lines:
            if line.sample.status in rules.ON_THE_WAY:
                line.ship_to = addresses.get(line.sample.streamer_id)
    return lines


def _status(status: str | None) -> str | None:
    if status in (None, ""):
        return None
    if status not in {s.value for s in SampleStatus}:
        raise InvalidInput("Unknown sample status.", [FieldError(
            "use one of " + ", ".join(s.value for s in SampleStatus), field="status")])
    return status


def campaign_samples(actor: Actor, settings: Settings, campaign_id: int, status: str | None = None,
                     late: bool | None = None) -> list[SampleLine]:
    """A campaign's samples the actor sees (the team all, a partner their counties', a host their own), by county
    and product; filtered by state and by lateness. Whoever sees a sample on its way sees where it goes."""
    campaign, facts = access.campaign_for(actor, "campaign.items", campaign_id)
    stmt = select(Sample).where(Sample.campaign_id == campaign.id, samples_clause(actor, facts))
    if _status(status):
        stmt = stmt.where(Sample.status == status)
    lines = _lines(settings, stmt.order_by(Sample.id), ship_to=True)
    lines.sort(key=lambda line: (line.county.name, line.product.name, line.streamer.display_name, line.sample.id))
    return [line for line in lines if late is None or line.late == late]


def own_samples(actor: Actor, settings: Settings) -> list[SampleLine]:
    """The calling host's samples in every campaign, newest first."""
    access.require(actor, "host.portal")
    stmt = select(Sample).where(Sample.streamer_id == actor.streamer_id).order_by(Sample.requested_at.desc())
    return _lines(settings, stmt, ship_to=True)


def line(actor: Actor, settings: Settings, sample: Sample) -> SampleLine:
    """One sample the actor may read, with its names, lateness and (while on its way) its destination."""
    return _lines(settings, select(Sample).where(Sample.id == sample.id), ship_to=True)[0]


def late_by_session(settings: Settings, session_ids: list[int]) -> dict[int, list[int]]:
    """For each of these sessions that has late samples, the ids of their products (the warnings pages show)."""
    if not session_ids:
        return {}
    pairs = late_pairs(clock.now(), settings.sample_lead_days, LiveSession.id.in_(session_ids))
    products = dict(db.session.execute(select(Sample.id, Sample.product_id).where(
        Sample.id.in_({sample_id for sample_id, _ in pairs}))).all()) if pairs else {}
    out: dict[int, list[int]] = {}
    for sample_id, session_id in pairs:
        out.setdefault(session_id, []).append(products[sample_id])
    return out


def late_count(settings: Settings, campaign: Campaign) -> int:
    """How many of a campaign's samples are late now (the pairing board's banner)."""
    return len({sample_id for sample_id, _ in late_pairs(clock.now(), settings.sample_lead_days,
                                                          Sample.campaign_id == campaign.id)})


def units_sent(product_ids: list[int]) -> dict[int, int]:
    """Units each product has sent out as samples (shipped or received): shown beside stock, never taken from it."""
    if not product_ids:
        return {}
    return dict(db.session.execute(select(Sample.product_id, func.sum(Sample.quantity)).where(
        Sample.product_id.in_(product_ids), Sample.status.in_(rules.SENT)).group_by(Sample.product_id)).all())
