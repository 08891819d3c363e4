"""The shipping import (issue 16): a county office's sheet of samples (or pairings), carriers and tracking numbers.
Every row that cannot be shipped is named with its row and column before anything is stored; then the valid rows,
or nothing, ship in one transaction, and a partner's file ships only their counties' samples."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import Workbook

from coordinator import clock
from coordinator.extensions import db, socketio
from coordinator.models import AuditEntry, Pairing, Sample, Streamer
from tests.access.world import bearer, build

HEADER = "样品编号,快递公司,快递单号"


@pytest.fixture
def world(app, clock):
    """The access matrix's world (SM_req, SM_app, SM_ship of the partner's PB2 to host S1), plus an approved sample
    of the owner's county (SM_a: PA1 to S1) and one of another campaign (SM_e: PA4 to S2 in E)."""
    with app.app_context():
        world = build()
        now = clock()
        for key, campaign, pairing, streamer, product in (("SM_a", "C", "P_host", "S1", "PA1"),
                                                          ("SM_e", "E", "P_other", "S2", "PA4")):
            sample = Sample(campaign_id=world.ids[campaign], pairing_id=world.ids[pairing], quantity=1,
                            streamer_id=world.ids[streamer], product_id=world.ids[product], status="approved",
                            requested_at=now - timedelta(days=1), approved_at=now)
            db.session.add(sample)
            db.session.flush()
            world.ids[key] = sample.id
        db.session.commit()
    return world


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *lines]).encode("utf-8-sig")


def ship(client, world, actor: str, data: bytes, filename: str = "shipping.csv", campaign: str = "C", **query):
    response = client.post(f"/api/v1/campaigns/{world.ids[campaign]}/samples/shipments", query_string=query,
                           headers=bearer(world, actor), data={"file": (io.BytesIO(data), filename)},
                           content_type="multipart/form-data")
    return response


def states(app, world, *keys: str) -> dict[str, tuple]:
    with app.app_context():
        return {key: (lambda s: (s.status, s.carrier, s.tracking_number))(db.session.get(Sample, world.ids[key]))
                for key in keys}


def errors(report: dict) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in report["errors"]]


def test_unknown_and_wrong_state_samples_are_row_errors_and_nothing_ships(app, client, world):
    ids = world.ids
    data = csv_file(f"{ids['SM_app']},顺丰,SF1234567890128", f"{ids['SM_req']},顺丰,SF1234567890129",
                    f"{ids['SM_ship']},sf,SF1234567890130", "987654,sf,SF1234567890131",
                    f"{ids['SM_e']},sf,SF1234567890132")
    response = ship(client, world, "owner", data)
    assert response.status_code == 200
    report = response.get_json()
    assert errors(report) == [(3, "样品编号", "this sample is requested: approve it first"),
                              (4, "样品编号", "this sample is shipped already"),
                              (5, "样品编号", "unknown sample"),
                              (6, "样品编号", "unknown sample")]  # another campaign's is as unknown as none
    assert (report["kind"], report["total_rows"], report["valid_rows"], report["imported"]) == ("shipments", 5, 1, 0)
    assert report["bad_rows"] == [3, 4, 5, 6]
    assert states(app, world, "SM_app", "SM_req", "SM_e") == {
        "SM_app": ("approved", None, None), "SM_req": ("requested", None, None), "SM_e": ("approved", None, None)}


@pytest.mark.parametrize("carrier, number, column, message", [
    ("顺风", "SF1234567890128", "快递公司",
     "unknown carrier: use one of sf, ems, jd, zto, yto, sto, yunda, best or its name"),
    ("顺丰", "YT1234567890123", "快递单号", "not a tracking number of 顺丰"),
    ("圆通", "12-34", "快递单号", "a tracking number is 6 to 32 letters and digits"),
    ("", "SF1234567890128", "快递公司", "required"),
    ("ems", "", "快递单号", "required"),
])
def test_carriers_and_numbers_that_do_not_fit_name_their_column(client, world, carrier, number, column, message):
    report = ship(client, world, "owner", csv_file(f"{world.ids['SM_app']},{carrier},{number}"), dry_run="true")
    assert errors(report.get_json()) == [(2, column, message)]


def test_a_sample_named_twice_makes_the_later_row_bad_by_id_or_by_pairing(client, world):
    ids = world.ids
    data = csv_file(f"{ids['SM_app']},,sf,SF1234567890128", f",{ids['P_hostB2']},sf,SF1234567890129",
                    f"{ids['SM_a']},,jd,JD0012345678901", f"{ids['SM_a']},,jd,JD0012345678901",
                    header="样品编号,配对编号,快递公司,快递单号")
    report = ship(client, world, "admin", data, dry_run="true").get_json()
    assert errors(report) == [(3, "配对编号", "repeated in this file (row 2)"),
                              (5, "样品编号", "repeated in this file (row 4)")]
    assert report["valid_rows"] == 2


def test_all_or_nothing_ships_nothing_and_valid_rows_ships_the_rest_audited_and_pushed(app, client, world):
    ids = world.ids
    data = csv_file(f"{ids['SM_app']},顺丰速运,sf 1234 5678 9012 8", f"{ids['SM_a']},中通,7730 1234 5678",
                    f"{ids['SM_req']},顺丰,SF1234567890129")
    report = ship(client, world, "owner", data).get_json()  # all_or_nothing is the default, as for products
    assert (report["valid_rows"], report["imported"], report["bad_rows"]) == (2, 0, [4])
    assert states(app, world, "SM_app", "SM_a")["SM_app"] == ("approved", None, None)
    board = socketio.test_client(app, namespace="/live", auth={"token": world.tokens["owner"]})
    assert board.emit("subscribe", {"campaign_id": ids["C"]}, namespace="/live", callback=True)["ok"]
    board.get_received("/live")
    report = ship(client, world, "owner", data, mode="valid_rows").get_json()
    assert (report["valid_rows"], report["imported"]) == (2, 2)
    assert states(app, world, "SM_app", "SM_a", "SM_req") == {
        "SM_app": ("shipped", "sf", "SF1234567890128"), "SM_a": ("shipped", "zto", "773012345678"),
        "SM_req": ("requested", None, None)}
    pushed = [m["args"][0] for m in board.get_received("/live") if m["name"] == "sample"]
    assert {(p["id"], p["status"]) for p in pushed} == {(ids["SM_app"], "shipped"), (ids["SM_a"], "shipped")}
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(action="sample-ship").count() == 2
    again = ship(client, world, "owner", data, mode="valid_rows").get_json()
    assert errors(again)[:2] == [(2, "样品编号", "this sample is shipped already"),
                                 (3, "样品编号", "this sample is shipped already")] and again["imported"] == 0


def test_a_pairing_id_means_its_one_approved_sample(app, client, world):
    ids = world.ids
    data = csv_file(f"{ids['P_hostB2']},sf,SF1234567890128", f"{ids['P_hostB1']},sf,SF1234567890129",
                    "424242,sf,SF1234567890130", header="配对编号,快递公司,快递单号")
    report = ship(client, world, "partner", data, mode="valid_rows").get_json()
    unknown = "unknown pairing, or none of its samples is approved"
    assert errors(report) == [(3, "配对编号", unknown), (4, "配对编号", unknown)]
    assert states(app, world, "SM_app")["SM_app"] == ("shipped", "sf", "SF1234567890128")
    requested = ship(client, world, "partner", csv_file(f"{ids['P_hostB2']},sf,SF1234567890131",
                                                        header="pairing_id,carrier,tracking_number")).get_json()
    # The pairing's approved sample is gone now; what is left on its way is the requested one.
    assert errors(requested) == [(2, "pairing_id", "this sample is requested: approve it first")]


def test_a_sample_and_a_pairing_that_disagree_is_a_row_error(client, world):
    ids = world.ids
    data = csv_file(f"{ids['SM_a']},{ids['P_hostB2']},sf,SF1234567890128", header="样品编号,配对编号,快递公司,快递单号")
    assert errors(ship(client, world, "owner", data).get_json()) == [(2, "配对编号", "not this sample's pairing")]


def test_a_partner_ships_their_counties_samples_and_others_are_unknown(app, client, world):
    ids = world.ids
    data = csv_file(f"{ids['SM_app']},sf,SF1234567890128", f"{ids['SM_a']},sf,SF1234567890129")
    report = ship(client, world, "partner", data, mode="valid_rows").get_json()
    assert errors(report) == [(3, "样品编号", "unknown sample")]  # the owner's county's sample, approved as it is
    assert states(app, world, "SM_app", "SM_a") == {"SM_app": ("shipped", "sf", "SF1234567890128"),
                                                    "SM_a": ("approved", None, None)}
    for refused, status in (("viewer", 403), ("outsider", 403), ("host", 403), ("other_host", 404)):
        assert ship(client, world, refused, data).status_code == status, refused
    assert states(app, world, "SM_a")["SM_a"] == ("approved", None, None)


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_with_english_headers_and_numbers_typed_as_numbers(app, client, world):
    ids = world.ids
    data = _xlsx([["Sample ID", "Carrier", "Tracking Number", "Note"], [ids["SM_a"], "ZTO Express", 773012345678, "x"],
                  [float(ids["SM_app"]), "EMS", "EA123456789CN", None], ["abc", "sf", "SF1234567890128", None]])
    report = ship(client, world, "editor", data, "shipping.xlsx", mode="valid_rows").get_json()
    assert errors(report) == [(4, "Sample ID", "expected a whole number")]
    assert states(app, world, "SM_a", "SM_app") == {"SM_a": ("shipped", "zto", "773012345678"),
                                                    "SM_app": ("shipped", "ems", "EA123456789CN")}


def test_a_sheet_without_the_columns_or_file_is_refused_whole(app, client, world):
    assert ship(client, world, "owner", csv_file("1,sf", header="样品编号,快递公司")).status_code == 422
    assert ship(client, world, "owner", b"\x00garbage", "shipping.xlsx").status_code == 400
    no_file = client.post(f"/api/v1/campaigns/{world.ids['C']}/samples/shipments", headers=bearer(world, "owner"),
                          data={}, content_type="multipart/form-data")
    assert no_file.status_code == 400


def thousand_approved(app, world) -> list[int]:
    """1,000 approved samples of C: 250 new hosts paired with each of the four products of C's counties."""
    with app.app_context():
        manager = world.ids["user:manager"]
        hosts = [Streamer(handle=f"bulk_{i:03d}", display_name=f"主播{i}", platform="douyin", followers=1000,
                          categories=["fruit"], manager_id=manager) for i in range(250)]
        db.session.add_all(hosts)
        db.session.flush()
        samples = []
        for host in hosts:
            for product in ("PA1", "PA2", "PB1", "PB3"):
                pairing = Pairing(campaign_id=world.ids["C"], streamer_id=host.id, product_id=world.ids[product],
                                  status="accepted", source="manual", reasons=[])
                db.session.add(pairing)
                db.session.flush()
                samples.append(Sample(campaign_id=world.ids["C"], pairing_id=pairing.id, streamer_id=host.id,
                                      product_id=world.ids[product], status="approved", requested_at=clock.now(),
                                      approved_at=clock.now()))
        db.session.add_all(samples)
        db.session.commit()
        return [s.id for s in samples]


def test_a_thousand_rows_ship_completely(app, client, world):
    ids = thousand_approved(app, world)
    data = csv_file(*[f"{sample_id},sf,SF{1000000000000 + sample_id}" for sample_id in ids])
    report = ship(client, world, "owner", data).get_json()
    assert (report["total_rows"], report["imported"], report["errors"]) == (1000, 1000, [])
    with app.app_context():
        shipped = db.session.query(Sample).filter(Sample.id.in_(ids), Sample.status == "shipped").all()
        assert len(shipped) == 1000 and {s.tracking_number for s in shipped} == {f"SF{1000000000000 + i}" for i in ids}
