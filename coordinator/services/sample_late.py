"""The scheduler's look for samples that became late: sample.late is staged once per sample and session."""
from __future__ import annotations

from sqlalchemy import select, tuple_

from coordinator import clock
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import LiveSession, Sample, SampleLateNotice
from coordinator.services import outbox
from coordinator.services.sample_board import late_pairs


def stage_late(settings: Settings) -> int:
    """Stage sample.late for every late (sample, session) pair not yet told, in one transaction; how many."""
    pairs = late_pairs(clock.now(), settings.sample_lead_days)
    if not pairs:
        return 0
    told = set(db.session.execute(select(SampleLateNotice.sample_id, SampleLateNotice.session_id).where(
        tuple_(SampleLateNotice.sample_id, SampleLateNotice.session_id).in_(pairs))).all())
    fresh = [pair for pair in pairs if pair not in told]
    for sample_id, session_id in fresh:
        sample, session = db.session.get(Sample, sample_id), db.session.get(LiveSession, session_id)
        # The row and its messages commit together: a crash before the commit leaves both for the next look.
        db.session.add(SampleLateNotice(sample_id=sample_id, session_id=session_id, sent_at=clock.now()))
        outbox.stage_sample("sample.late", sample, settings, session)
    db.session.commit()
    return len(fresh)
