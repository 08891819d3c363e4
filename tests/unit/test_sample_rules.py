"""The rules of samples (CONTRACT section 7): every move from every state, the request's refusals, shipments
checked against their carrier, tracking links, and when a sample is late."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from coordinator.domain import carriers, samples
from coordinator.domain.enums import PairingStatus, SampleStatus
from coordinator.domain.errors import Conflict, InvalidInput

ALLOWED = {
    ("requested", "approve"): "approved",
    ("requested", "reject"): "rejected",
    ("requested", "cancel"): "cancelled",
    ("approved", "ship"): "shipped",
    ("approved", "reject"): "rejected",
    ("approved", "cancel"): "cancelled",
    ("shipped", "receive"): "received",
}
MOVES = ("approve", "reject", "ship", "receive", "cancel")


@pytest.mark.parametrize("state", [s.value for s in SampleStatus])
@pytest.mark.parametrize("move", MOVES)
def test_each_move_from_each_state_leads_where_the_contract_says_or_is_409(state, move):
    if (state, move) in ALLOWED:
        assert samples.next_status(state, move).value == ALLOWED[(state, move)]
    else:
        with pytest.raises(Conflict) as refused:
            samples.next_status(state, move)
        assert refused.value.status == 409 and state in refused.value.detail


def test_received_rejected_and_cancelled_samples_are_final():
    for state in ("received", "rejected", "cancelled"):
        assert all((state, move) not in ALLOWED for move in MOVES)
    assert samples.ON_THE_WAY == {"requested", "approved", "shipped"}
    assert samples.CANCELLABLE == {"requested", "approved"}  # a parcel already sent cannot be called back


def test_a_request_is_refused_for_a_declined_pairing_a_second_open_sample_and_bad_quantities():
    samples.check_request(PairingStatus.PROPOSED.value, 1, 0)
    samples.check_request(PairingStatus.LOCKED.value, 20, 0)
    with pytest.raises(Conflict, match="declined"):
        samples.check_request(PairingStatus.DECLINED.value, 1, 0)
    with pytest.raises(Conflict, match="already on its way"):
        samples.check_request(PairingStatus.ACCEPTED.value, 1, 1)
    for quantity in (0, -1, 21):
        with pytest.raises(InvalidInput) as bad:
            samples.check_request(PairingStatus.ACCEPTED.value, quantity, 0)
        assert bad.value.errors[0].field == "quantity"


@pytest.mark.parametrize("carrier, number, code, stored", [
    ("顺丰", "SF 1234 5678 9012 3", "sf", "SF1234567890123"),
    ("sf", "123456789012", "sf", "123456789012"),
    ("EMS", "1234567890123", "ems", "1234567890123"),
    ("中国邮政", "ea123456789cn", "ems", "EA123456789CN"),
    ("京东", "JDVA12345678901", "jd", "JDVA12345678901"),
    ("中通快递", "731234567890", "zto", "731234567890"),
    ("YTO Express", "YT1234567890123", "yto", "YT1234567890123"),
    ("申通", "773123456789", "sto", "773123456789"),
    ("韵达", "4312345678901", "yunda", "4312345678901"),
    ("百世快递", "557123456789", "best", "557123456789"),
])
def test_shipments_name_the_carrier_by_code_or_name_and_keep_the_number_as_printed(carrier, number, code, stored):
    assert samples.shipment(carrier, number) == samples.Shipment(code, stored)


@pytest.mark.parametrize("carrier, number, field", [
    ("顺风快递", "SF1234567890123", "carrier"),
    ("", "SF1234567890123", "carrier"),
    ("sf", "YT1234567890123", "tracking_number"),
    ("yto", "SF1234567890123", "tracking_number"),
    ("zto", "12345", "tracking_number"),
    ("jd", "JD<script>", "tracking_number"),
    ("sto", "", "tracking_number"),
])
def test_a_shipment_that_does_not_fit_its_carrier_names_the_field(carrier, number, field):
    with pytest.raises(InvalidInput) as bad:
        samples.shipment(carrier, number)
    assert bad.value.errors[0].field == field


def test_every_carrier_people_use_has_a_tracking_link_built_from_the_number():
    assert {c.code for c in carriers.CARRIERS} == {"sf", "ems", "jd", "zto", "yto", "sto", "yunda", "best"}
    for carrier in carriers.CARRIERS:
        url = carriers.tracking_url(carrier.code, "ABC123456")
        assert url.startswith("https://") and url.endswith("nu=ABC123456") and carrier.lookup_code in url
    assert carriers.tracking_url("sf", "A B&c") .endswith("nu=A%20B%26c")  # the number cannot add parameters
    assert carriers.tracking_url(None, "SF1") is None and carriers.tracking_url("sf", None) is None
    assert carriers.tracking_url("dhl", "123456") is None


NOW = datetime(2026, 11, 9, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize("status, starts_in, lasts, late", [
    ("requested", timedelta(days=1), timedelta(hours=2), True),
    ("approved", timedelta(days=2), timedelta(hours=2), True),  # exactly the lead: late
    ("shipped", timedelta(days=2, seconds=1), timedelta(hours=2), False),  # beyond the lead: not yet
    ("shipped", timedelta(hours=-1), timedelta(hours=2), True),  # on air now without it
    ("shipped", timedelta(hours=-3), timedelta(hours=2), False),  # the session is over
    ("received", timedelta(hours=1), timedelta(hours=2), False),
    ("rejected", timedelta(hours=1), timedelta(hours=2), False),
    ("cancelled", timedelta(hours=1), timedelta(hours=2), False),
])
def test_a_sample_is_late_when_still_on_its_way_within_the_lead_days_of_a_session(status, starts_in, lasts, late):
    start = NOW + starts_in
    assert samples.is_late(status, [start], [start + lasts], NOW, 2) is late


def test_without_a_session_nothing_is_late_and_the_lead_days_are_a_setting():
    assert samples.is_late("requested", [], [], NOW, 2) is False
    start = NOW + timedelta(days=4)
    assert samples.is_late("requested", [start], [start + timedelta(hours=1)], NOW, 2) is False
    assert samples.is_late("requested", [start], [start + timedelta(hours=1)], NOW, 5) is True
