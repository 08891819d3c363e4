"""The samples' spreadsheet services run as a script would: the shipping import staged and confirmed with the
uploads folder and zone of the injected settings, and the board's export in that zone."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coordinator.domain.errors import PermissionDenied
from coordinator.extensions import db
from coordinator.models import Delivery, Sample
from coordinator.services import outbox, sample_export, sample_shipments
from coordinator.services.imports import UploadExpired
from tests.services.conftest import actor


def test_a_staged_shipping_sheet_ships_once_with_the_injected_settings(env, settings):
    partner = actor(env, "partner")
    data = (f"配对编号,承运商,运单号\n{env.ids['P_hostB2']},京东,JD0012345678901\n"
            f"{env.ids['P_hostB1']},京东,JD0012345678902\n").encode()
    assert sample_shipments.may_import(partner, env.ids["C"]).id == env.ids["C"]
    report = sample_shipments.preview(partner, env.ids["C"], "ship.csv", data)
    assert [(e.row, e.column) for e in report.errors] == [(3, "配对编号")] and len(report.valid) == 1
    staged, upload_id = sample_shipments.stage(partner, settings, env.ids["C"], "ship.csv", data)
    assert len(staged.valid) == 1 and len(list(Path(settings.upload_dir).glob(f"*{upload_id}.csv"))) == 1
    nothing = sample_shipments.apply(partner, settings, env.ids["C"], staged, all_or_nothing=True)
    assert nothing.value.imported == 0 and nothing.events == []
    outcome = sample_shipments.confirm_staged(partner, settings, env.ids["C"], upload_id, all_or_nothing=False)
    assert outcome.value.imported == 1 and [e.sample["status"] for e in outcome.events] == ["shipped"]
    sample = db.session.get(Sample, env.ids["SM_app"])
    assert (sample.status, sample.carrier, sample.tracking_number) == ("shipped", "jd", "JD0012345678901")
    assert db.session.query(Delivery).filter_by(event="sample.shipped").count() >= 1  # C's channel hears of it
    with pytest.raises(UploadExpired):
        sample_shipments.confirm_staged(partner, settings, env.ids["C"], upload_id, all_or_nothing=False)
    with pytest.raises(PermissionDenied):
        sample_shipments.preview(actor(env, "viewer"), env.ids["C"], "ship.csv", data)


def test_the_board_export_reads_times_in_the_injected_zone(env, settings):
    owner = actor(env, "owner")
    header, rows = sample_export.board_table(owner, settings, env.ids["C"])
    shipped = next(row for row in rows if row[0] == env.ids["SM_ship"])
    requested_at = shipped[header.index("申请时间")]
    stored = db.session.get(Sample, env.ids["SM_ship"]).requested_at
    assert requested_at == stored.astimezone(settings.zone).replace(tzinfo=None)  # New York, not Shanghai
    book = load_workbook(io.BytesIO(sample_export.board_xlsx(owner, settings, env.ids["C"]).data))
    assert isinstance(book["样品"]["L2"].value, datetime)
    text = sample_export.board_csv(owner, settings, env.ids["C"]).data.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 4
    template = sample_export.shipping_template(owner, settings, env.ids["C"])
    lines = list(csv.reader(io.StringIO(template.data.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == [str(env.ids["SM_app"])] and template.filename.endswith("shipping.csv")


def test_staging_many_samples_at_once_reaches_the_channels_one_at_a_time_would(env, settings):
    shipped = db.session.get(Sample, env.ids["SM_ship"])
    one_by_one = outbox.stage_sample("sample.shipped", shipped, settings)
    first = [(d.channel_id, d.event) for d in db.session.new if isinstance(d, Delivery)]
    db.session.rollback()
    assert one_by_one == 2  # C's group robot and the host's own email
    at_once = outbox.stage_samples("sample.shipped", [db.session.get(Sample, env.ids["SM_ship"])], settings)
    assert at_once == one_by_one
    assert sorted((d.channel_id, d.event) for d in db.session.new if isinstance(d, Delivery)) == sorted(first)
    db.session.rollback()
