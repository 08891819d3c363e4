"""Counties, products, streamers and their spreadsheets, used by services alone (no request, settings injected)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coordinator.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.models import County, Product, Streamer, User
from coordinator.services import (
    catalog, counties, import_columns, imports, listing, spreadsheet_writing, spreadsheets, streamers,
)
from tests.services.conftest import actor


def test_admins_register_and_assign_counties_and_commissioners_work_in_theirs(env):
    admin, owner, viewer = actor(env, "admin"), actor(env, "owner"), actor(env, "viewer")
    county = counties.create_county(admin, {"name": "巨鹿县", "province": "河北省", "story": ""})
    with pytest.raises(PermissionDenied):
        counties.create_county(owner, {"name": "石阡县", "province": "贵州省", "story": ""})
    assert [u.username for u in counties.assignable(admin, county.id)][:2] == ["admin", "editor"]
    assert counties.assign(admin, county.id, env.ids["user:viewer"]).events
    with pytest.raises(Conflict):
        counties.assign(admin, county.id, env.ids["user:viewer"])
    assert [u.username for u in counties.commissioners_of(admin, county.id)] == ["viewer"]
    viewer = actor(env, "viewer")
    assert counties.county_for(viewer, "county.change", county.id).name == "巨鹿县"
    assert counties.update_county(viewer, county.id, {"story": "金银花之乡"}).story == "金银花之乡"
    assert [c.name for c in counties.list_counties(viewer, 1, 10, None, None, None).items] == ["巨鹿县"]
    assert counties.county_reference(viewer, county.id).id == county.id
    with pytest.raises(InvalidInput):
        counties.county_reference(viewer, env.ids["A"])
    counties.unassign(admin, county.id, env.ids["user:viewer"])
    with pytest.raises(NotFound):
        counties.county_for(actor(env, "viewer"), "county.read", county.id)
    counties.delete_county(admin, county.id)
    assert db.session.get(County, county.id) is None
    fresh = User(username="newbie", role="commissioner")
    db.session.add(fresh)
    db.session.flush()
    counties.assign_at_creation(fresh, [env.ids["A"], env.ids["A"]])
    db.session.commit()
    assert catalog.county_names(actor(env, "admin"))[env.ids["A"]] == "宜君县 · 陕西省"


def test_products_belong_to_their_county_commissioners(env):
    owner, outsider = actor(env, "owner"), actor(env, "outsider")
    catalog.may_create(owner)
    made = catalog.create_product(owner, {"county_id": env.ids["A"], "name": "宜君苹果", "sku": "YJ-1",
                                          "category": "fruit", "price_fen": 3990, "stock": 10})
    assert catalog.product_for(owner, made.id).sku == "YJ-1"
    with pytest.raises(NotFound):
        catalog.product_for(outsider, made.id)
    assert catalog.update_product(owner, made.id, {"stock": 20}).stock == 20
    assert catalog.set_product_archived(owner, made.id, True).archived_at is not None
    assert {p.id for p in catalog.list_products(owner, 1, 50, None, None, {"include_archived": True}).items} >= {made.id}
    assert not catalog.product_in_use(made.id) and catalog.product_in_use(env.ids["PA1"])
    catalog.delete_product(owner, made.id)
    assert db.session.get(Product, made.id) is None
    assert catalog.is_in_season_today(db.session.get(Product, env.ids["PA1"]), db.session.get(Product, 1).created_at.date())
    assert set(catalog.county_names(outsider)) == {env.ids["Z"]}


def test_streamers_are_managed_by_whoever_registered_them(env):
    outsider, admin, host = actor(env, "outsider"), actor(env, "admin"), actor(env, "host")
    streamers.may_create(outsider)
    made = streamers.create_streamer(outsider, {"handle": "xw_zhong", "display_name": "老钟", "platform": "douyin",
                                                "followers": 100, "categories": ["fruit"]}, [(4, 1140, 1380)])
    assert made.manager_id == env.ids["user:outsider"] and streamers.may_manage(outsider, made)
    assert streamers.form_values(made)["availability"] == "周五 19:00-23:00"
    assert not streamers.may_manage(actor(env, "owner"), made)
    with pytest.raises(PermissionDenied):
        streamers.update_streamer(actor(env, "owner"), made.id, {"bio": "x"}, None)
    assert streamers.update_streamer(admin, made.id, {"manager_id": env.ids["user:owner"]}, None).manager_id \
        == env.ids["user:owner"]
    with pytest.raises(PermissionDenied):
        streamers.update_streamer(outsider, made.id, {"manager_id": env.ids["user:outsider"]}, None)
    own = streamers.own_profile(host)
    assert streamers.update_streamer(host, own.id, {"bio": "果园直播"}, None).bio == "果园直播"
    with pytest.raises(PermissionDenied):
        streamers.update_streamer(host, own.id, {"followers": 9_000_000}, None)
    assert streamers.streamer_for(host, own.id).id == own.id
    assert streamers.set_streamer_archived(admin, made.id, True).archived_at is not None
    assert made.id in {s.id for s in streamers.list_streamers(admin, 1, 50, None, "xw", {"include_archived": True}).items}
    assert not streamers.streamer_in_use(made.id) and streamers.streamer_in_use(env.ids["S1"])
    streamers.delete_streamer(admin, made.id)
    assert db.session.get(Streamer, made.id) is None


def test_spreadsheet_imports_preview_stage_and_confirm(env, settings):
    partner = actor(env, "partner")
    sheet = "县域,省份,名称,SKU,品类,价格（元）,库存\n普安县,贵州省,普安红茶,PA-TEA,tea,128,30\n宜君县,陕西省,苹果,YJ-X,fruit,1,1\n"
    data = sheet.encode("utf-8-sig")
    imports.may_import(partner, "products")
    report = imports.preview(partner, "products", "teas.csv", data)
    assert (len(report.valid), report.bad_rows) == (1, [3])  # Yijun is not the partner's county
    staged, upload_id = imports.stage(partner, settings, "products", "teas.csv", data)
    assert staged.total_rows == 2
    done = imports.confirm_staged(partner, settings, "products", upload_id, all_or_nothing=False)
    assert done.imported == 1 and db.session.scalar(select(Product.name).where(Product.sku == "PA-TEA")) == "普安红茶"
    with pytest.raises(imports.UploadExpired):
        imports.confirm_staged(partner, settings, "products", upload_id, all_or_nothing=False)
    hosts = imports.preview(partner, "streamers", "hosts.csv", "账号,昵称,平台,粉丝数,擅长品类\nnew_one,新人,抖音,1万,tea\n"
                            .encode())
    imports.apply(partner, hosts, all_or_nothing=True)
    assert db.session.scalar(select(Streamer.manager_id).where(Streamer.handle == "new_one")) == env.ids["user:partner"]


def test_spreadsheet_reading_writing_columns_and_pages(env):
    header = ["名称", "SKU", "nothing"]
    assert {i: c.field for i, c in import_columns.match_header(header, import_columns.PRODUCT_COLUMNS).items()} == {
        0: "name", 1: "sku"}
    book = spreadsheet_writing.write_xlsx([("表", ["名称", "价格"], [["=1+1", 3]])])
    sheet = spreadsheets.read_table("x.xlsx", book)
    assert sheet.header == ["名称", "价格"] and sheet.rows == [(2, ["=1+1", 3])]
    assert spreadsheet_writing.write_csv(["a"], [["@x"]]).decode("utf-8-sig").splitlines() == ["a", "'@x"]
    page = listing.paginate(select(County), 1, 2, "-name", {"name": County.name}, County.id)
    assert page.total == 4 and len(page.items) == 2
    with pytest.raises(InvalidInput):
        listing.sort_clause("colour", {"name": County.name})
    assert book[:2] == b"PK"
