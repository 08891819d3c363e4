"""Last year's Double 11 of the demo, loaded as a script would: in the injected zone, once, its key handed back."""
from __future__ import annotations

from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, SaleEvent, User
from coordinator.services import demo, demo_results


def test_the_finished_campaign_loads_once_in_the_injected_zone(env, settings):
    logins = demo.load(settings)
    campaign = db.session.get(Campaign, logins.finished_campaign_id)
    assert campaign.status == "closed" and campaign.id != logins.campaign_id
    assert campaign.starts_at.astimezone(settings.zone).timetuple()[:5] == (2025, 11, 1, 0, 0)  # New York midnight
    starts = [s.starts_at.astimezone(settings.zone) for s in db.session.query(LiveSession).filter_by(
        campaign_id=campaign.id)]
    assert starts and all(start.hour >= 19 for start in starts)  # evenings in the injected zone, not Shanghai's
    sold = db.session.query(SaleEvent).filter_by(campaign_id=campaign.id).count()
    commissioner = db.session.query(User).filter_by(username="commissioner").one()
    again = demo_results.load(settings, commissioner)
    assert (again.campaign_id, again.accepted) == (campaign.id, 0) and again.key_id.startswith("ik_")
    assert db.session.query(SaleEvent).filter_by(campaign_id=campaign.id, ingest_key_id=again.key_row_id).count() \
        == sold > 0


def test_the_finished_campaign_is_reconciled_once_against_its_platform_export(env, settings):
    from coordinator.models import Reconciliation
    from coordinator.services import demo_reconcile

    logins = demo.load(settings)
    rec = db.session.query(Reconciliation).filter_by(campaign_id=logins.finished_campaign_id).one()
    assert (rec.missing_here, rec.missing_there, rec.different, rec.unknown, rec.invalid) == (4, 3, 2, 1, 0)
    assert rec.matched == rec.rows - 4 - 2 - 1 and rec.applied_at is None  # closed: nothing can be applied
    commissioner = db.session.query(User).filter_by(username="commissioner").one()
    finished = demo_results.load(settings, commissioner)
    assert demo_reconcile.load(settings, commissioner, finished).id == rec.id
    assert db.session.query(Reconciliation).count() == 2  # the access world's own and this one
