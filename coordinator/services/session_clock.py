"""The clock's side of sessions: due transitions, host reminders and the times to wake up for them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import and_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from coordinator import clock
from coordinator.domain import scheduling
from coordinator.domain.enums import SessionStatus
from coordinator.domain.events import ReminderDue, SessionStatusChanged
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import LiveSession, SessionReminder
from coordinator.services import outbox

S = SessionStatus


@dataclass
class Tick:
    """What one pass of the clock changed: (session, campaign, status) and reminders sent."""

    transitions: list[tuple[int, int, str]]
    reminders: list[dict]

    @property
    def events(self) -> list:
        """The pushes this pass owes, once committed."""
        return [SessionStatusChanged(*t) for t in self.transitions] + [
            ReminderDue(r["streamer_id"], r) for r in self.reminders]


def _move(target: str, *conditions) -> list[tuple[int, int, str]]:
    """One conditional UPDATE; only the rows it really changed come back, so nothing is pushed twice."""
    now = clock.now()
    rows = db.session.execute(
        update(LiveSession).where(*conditions).values(status=target, updated_at=now)
        .returning(LiveSession.id, LiveSession.campaign_id).execution_options(synchronize_session=False)).all()
    return [(session_id, campaign_id, target) for session_id, campaign_id in rows]


def advance(settings: Settings, now: datetime | None = None) -> Tick:
    """Move every due session to live or ended and record due reminders, then commit; the caller pushes."""
    now = now or clock.now()
    transitions = _move(S.ENDED.value, LiveSession.status.in_((S.SCHEDULED.value, S.LIVE.value)),
                        LiveSession.ends_at <= now)
    transitions += _move(S.LIVE.value, LiveSession.status == S.SCHEDULED.value, LiveSession.starts_at <= now)
    reminders = _remind(settings, now)
    _stage(settings, transitions, reminders)
    db.session.commit()
    return Tick(transitions, reminders)


def _stage(settings: Settings, transitions: list[tuple[int, int, str]], reminders: list[dict]) -> None:
    """Write the messages this pass owes into its own transaction: a crash after it loses none, sends none twice."""
    for session_id, _campaign_id, status in transitions:
        outbox.stage_session(f"session.{status}", db.session.get(LiveSession, session_id), settings)
    for reminder in reminders:
        outbox.stage_session("session.reminder", db.session.get(LiveSession, reminder["session_id"]), settings,
                             reminder["lead_minutes"], reminder["minutes_left"])


def _insert_ignore(values: dict) -> bool:
    """Record a reminder unless one exists for the same session, lead and start; True when this call stored it."""
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    result = db.session.execute(insert(SessionReminder).values(**values).on_conflict_do_nothing(
        index_elements=["session_id", "lead_minutes", "session_starts_at"]).returning(SessionReminder.id))
    return result.first() is not None


def _remind(settings: Settings, now: datetime) -> list[dict]:
    leads = settings.reminder_leads
    rows = db.session.execute(
        select(LiveSession.id, LiveSession.campaign_id, LiveSession.streamer_id, LiveSession.starts_at,
               LiveSession.ends_at, LiveSession.title, SessionReminder.lead_minutes)
        .outerjoin(SessionReminder, and_(SessionReminder.session_id == LiveSession.id,
                                         SessionReminder.session_starts_at == LiveSession.starts_at))
        .where(LiveSession.status == S.SCHEDULED.value, LiveSession.starts_at > now,
               LiveSession.starts_at <= now + timedelta(minutes=max(leads)))).all()
    sessions: dict[int, tuple] = {}
    sent: dict[int, set[int]] = {}
    for row in rows:
        sessions[row[0]] = row[:6]
        sent.setdefault(row[0], set()).update([row[6]] if row[6] is not None else [])
    out = []
    for session_id, (sid, campaign_id, streamer_id, starts_at, ends_at, title) in sessions.items():
        due = scheduling.due_reminders(starts_at, leads, sent[session_id], now)
        minutes_left = max(1, round((starts_at - now).total_seconds() / 60))
        message = _message(settings, title, minutes_left)
        # A late start-up may find several leads due: all are recorded, the host hears once.
        stored = [_insert_ignore({"session_id": sid, "lead_minutes": lead, "session_starts_at": starts_at,
                                  "sent_at": now, "message": message}) for lead in due]
        if stored and stored[0]:
            out.append({"session_id": sid, "campaign_id": campaign_id, "streamer_id": streamer_id,
                        "lead_minutes": due[0], "minutes_left": minutes_left, "starts_at": starts_at.isoformat(),
                        "ends_at": ends_at.isoformat(), "title": title, "message": message})
    return out


def _message(settings: Settings, title: str, minutes: int) -> str:
    with force_locale(settings.default_locale):
        return gettext("Your session %(title)s starts in %(n)d minutes.", title=title or "", n=minutes)


def wake_plan(settings: Settings, now: datetime | None = None) -> list[datetime]:
    """Every future moment some scheduled or live session needs the clock to look at it."""
    now = now or clock.now()
    leads = settings.reminder_leads
    rows = db.session.execute(select(LiveSession.starts_at, LiveSession.ends_at, LiveSession.status).where(
        LiveSession.status.in_((S.SCHEDULED.value, S.LIVE.value)))).all()
    times: set[datetime] = set()
    for starts_at, ends_at, status in rows:
        times.update(scheduling.wake_times(starts_at, ends_at, status, leads, now))
    return sorted(times)
