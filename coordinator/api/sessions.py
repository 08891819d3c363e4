"""Sessions: /api/v1/sessions (create, read, list, reschedule, cancel), /me/sessions and auto-planning."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

from pydantic import BaseModel, Field
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import ListQuery, PageOut, page_body, patch_changes
from coordinator.api.spec import api_spec
from coordinator.api.validation import AwareTime, RequestModel, StrictInt
from coordinator.domain.enums import SessionStatus
from coordinator.edge import done, settings
from coordinator.schemas.common import PlausibleDate, QueryInt, text
from coordinator.services import autoplan, sessions

ProductIds = Annotated[list[StrictInt], Field(min_length=1, max_length=50)]


class SessionIn(RequestModel):
    """A session to schedule (CONTRACT section 2); times need an offset."""

    campaign_id: StrictInt
    streamer_id: StrictInt
    starts_at: AwareTime
    ends_at: AwareTime
    product_ids: ProductIds
    title: text(200) = ""
    notes: text(5000) = ""


class SessionPatch(RequestModel):
    """What to change in a scheduled session; moving starts_at alone keeps the length."""

    starts_at: Optional[AwareTime] = None
    ends_at: Optional[AwareTime] = None
    product_ids: Optional[ProductIds] = None
    title: Optional[text(200)] = None
    notes: Optional[text(5000)] = None


class SessionOut(BaseModel):
    """A session with its lineup in running order."""

    id: int
    campaign_id: int
    streamer_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    title: str
    notes: str
    product_ids: list[int]
    cancelled_at: Optional[datetime]
    created_at: datetime
    updated_at: datetime


class SessionQuery(ListQuery):
    """Filters of the session list; day is a date in COORDINATOR_TIMEZONE."""

    campaign_id: Optional[QueryInt] = None
    streamer_id: Optional[QueryInt] = None
    day: Optional[PlausibleDate] = None
    status: Optional[SessionStatus] = None


class SessionPage(PageOut):
    """A page of sessions."""

    items: list[SessionOut]


class ProposalOut(BaseModel):
    """A session the planner suggests (not stored)."""

    streamer_id: int
    starts_at: datetime
    ends_at: datetime
    product_ids: list[int]


class PlanOut(BaseModel):
    """The auto-planner's proposals for review."""

    proposals: list[ProposalOut]


class PlanQuery(BaseModel):
    """How the planner shapes sessions."""

    slot_minutes: int = Field(120, ge=30, le=720)
    per_streamer: int = Field(3, ge=1, le=60)


class ProposalIn(RequestModel):
    """A proposal to schedule."""

    streamer_id: StrictInt
    starts_at: AwareTime
    ends_at: AwareTime
    product_ids: ProductIds
    title: text(200) = ""


class ConfirmIn(RequestModel):
    """Proposals (possibly edited) to schedule, all or nothing."""

    sessions: Annotated[list[ProposalIn], Field(min_length=1, max_length=500)]


class ConfirmOut(BaseModel):
    """The sessions scheduled from a confirmed plan."""

    sessions: list[SessionOut]


def session_body(session) -> dict:
    """A session row as the API shows it."""
    return SessionOut(
        id=session.id, campaign_id=session.campaign_id, streamer_id=session.streamer_id, starts_at=session.starts_at,
        ends_at=session.ends_at, status=session.status, title=session.title, notes=session.notes,
        product_ids=[item.product_id for item in session.lineup], cancelled_at=session.cancelled_at,
        created_at=session.created_at, updated_at=session.updated_at).model_dump(mode="json")


@bp.post("/sessions")
@api_spec.validate(resp=Response(HTTP_201=SessionOut), tags=["sessions"])
def create_session(json: SessionIn):
    """Schedule a session (409 naming the clashing session; 422 naming the broken rule)."""
    return session_body(done(sessions.create(actor(), settings(), json.model_dump()))), 201


@bp.get("/sessions")
@api_spec.validate(resp=Response(HTTP_200=SessionPage), tags=["sessions"])
def list_sessions(query: SessionQuery):
    """Sessions the caller sees, by campaign, streamer, local day or status; a streamer account sees its own."""
    page = sessions.list_sessions(actor(), settings(), query.page, query.per_page, query.campaign_id,
                                  query.streamer_id, query.day, query.status.value if query.status else None)
    return page_body(session_body, page)


@bp.get("/sessions/<int:session_id>")
@api_spec.validate(resp=Response(HTTP_200=SessionOut), tags=["sessions"])
def get_session(session_id: int):
    """One session; status is scheduled, live, ended or cancelled."""
    return session_body(sessions.session_for(actor(), session_id))


@bp.patch("/sessions/<int:session_id>")
@api_spec.validate(resp=Response(HTTP_200=SessionOut), tags=["sessions"])
def reschedule_session(session_id: int, json: SessionPatch):
    """Move a scheduled session or change its lineup; the creation rules apply, reminders start afresh."""
    return session_body(done(sessions.reschedule(actor(), settings(), session_id, patch_changes(json))))


@bp.post("/sessions/<int:session_id>/cancel")
@api_spec.validate(resp=Response(HTTP_200=SessionOut), tags=["sessions"])
def cancel_session(session_id: int):
    """Cancel a session: no more reminders, and feeds and screens say so."""
    return session_body(done(sessions.cancel(actor(), settings(), session_id)))


@bp.get("/me/sessions")
@api_spec.validate(resp=Response(HTTP_200=SessionPage), tags=["me"])
def my_sessions(query: ListQuery):
    """The calling streamer's own sessions, earliest first."""
    return page_body(session_body, sessions.own_sessions(actor(), settings(), query.page, query.per_page))


@bp.post("/campaigns/<int:campaign_id>/sessions/plan")
@api_spec.validate(resp=Response(HTTP_200=PlanOut), tags=["sessions"])
def plan_sessions(campaign_id: int, query: PlanQuery):
    """Propose conflict-free evening sessions from accepted pairings and availability; stores nothing."""
    proposals = autoplan.propose(actor(), settings(), campaign_id, query.slot_minutes, query.per_streamer)
    return {"proposals": [ProposalOut(streamer_id=p.streamer_id, starts_at=p.starts_at, ends_at=p.ends_at,
                                      product_ids=list(p.product_ids)).model_dump(mode="json") for p in proposals]}


@bp.post("/campaigns/<int:campaign_id>/sessions/plan/confirm")
@api_spec.validate(resp=Response(HTTP_201=ConfirmOut), tags=["sessions"])
def confirm_plan(campaign_id: int, json: ConfirmIn):
    """Schedule reviewed proposals, all or nothing (the creation rules apply to each)."""
    rows = done(autoplan.confirm(actor(), settings(), campaign_id, [p.model_dump() for p in json.sessions]))
    return {"sessions": [session_body(row) for row in rows]}, 201
