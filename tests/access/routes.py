"""Every route of the matrix, by hand: the rule of the README's table it follows, the objects it names, a body
that is valid for the caller the rule allows, and the effect an allowed call must have.

A new route fails tests/access until a person adds it here (tests/access/propose.py prints a draft to start from;
it never decides a rule). Routes with <any(...)> have one entry per choice.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable

from coordinator import clock
from tests.access.effects import Effect, added, gone, nothing, row

LOCAL = "+08:00"


@dataclass(frozen=True)
class Route:
    """One request the matrix sends as every actor."""

    key: str  # "METHOD /rule" as the URL map has it, plus " [variant]" for a second body
    rule: str
    ids: dict[str, str] = field(default_factory=dict)  # URL parameter -> world id key
    choice: dict[str, str] = field(default_factory=dict)  # <any(...)> parameter -> the choice sent
    json: Callable[[Any, str], dict] | None = None
    form: Callable[[Any, str], dict] | None = None
    files: Callable[[Any, str], dict] | None = None
    query: str = ""
    ok: int = 200
    page_ok: int | None = None
    page_invalid: int = 302
    effect: Effect = nothing

    @property
    def method(self) -> str:
        """The HTTP method."""
        return self.key.split()[0]

    @property
    def rule_path(self) -> str:
        """The URL rule (it may hold spaces: <any(a, b):x>)."""
        return self.key.split(" ", 1)[1].split(" [")[0]


def _day(days: int, hour: int) -> str:
    return f"{(clock.now() + timedelta(days=days)).date().isoformat()}T{hour:02d}:00:00{LOCAL}"


def _local(days: int, hour: int) -> str:
    return (clock.now() + timedelta(days=days)).date().isoformat() + f"T{hour:02d}:00"


def _csv(text: str) -> dict:
    return {"file": (io.BytesIO(text.encode("utf-8-sig")), "sheet.csv")}


def _products_csv(w, a) -> dict:
    county = {"partner": ("普安县", "贵州省"), "outsider": ("寻乌县", "江西省")}.get(a, ("宜君县", "陕西省"))
    return _csv(f"县域,省份,名称,SKU,品类,价格（元）,库存\n{county[0]},{county[1]},新苹果,NEW-{a.upper()},fruit,39.9,100\n")


def _streamers_csv(w, a) -> dict:
    return _csv(f"账号,昵称,平台,粉丝数,擅长品类\nnew_{a},新主播,douyin,1000,fruit\n")


HOST_CHANNEL = {"channel_id": "HCH"}


def _channel_body(owner: str):
    return lambda w, a: {"kind": "email", "name": "新渠道", "address": "team@example.com", owner: w.ids[
        "C" if owner == "campaign_id" else "S1"]}


CHANNEL_ROUTES = [
    Route("GET /api/v1/channels", "signed-in"),
    Route("POST /api/v1/channels", "channel.create", json=_channel_body("campaign_id"), ok=201,
          effect=added("channels", name="新渠道", address="team@example.com")),
    Route("POST /api/v1/channels [host's own]", "streamer.channels", json=_channel_body("streamer_id"), ok=201,
          effect=added("channels", name="新渠道", address="team@example.com")),
    Route("GET /api/v1/channels/<int:channel_id>", "campaign.read"),
    Route("GET /api/v1/channels/<int:channel_id> [host's own]", "streamer.channels", ids=HOST_CHANNEL),
    Route("PATCH /api/v1/channels/<int:channel_id>", "campaign.change", json=lambda w, a: {"name": "改名"},
          effect=row("channels", "CH", name="改名")),
    Route("PATCH /api/v1/channels/<int:channel_id> [host's own]", "streamer.channels", ids=HOST_CHANNEL,
          json=lambda w, a: {"enabled": False}, effect=row("channels", "HCH", enabled=False)),
    Route("DELETE /api/v1/channels/<int:channel_id>", "campaign.change", ok=204, effect=gone("channels", "CH")),
    Route("DELETE /api/v1/channels/<int:channel_id> [host's own]", "streamer.channels", ids=HOST_CHANNEL, ok=204,
          effect=gone("channels", "HCH")),
    Route("POST /api/v1/channels/<int:channel_id>/test", "campaign.change", ok=202,
          effect=added("deliveries", event="channel.test")),
    Route("POST /api/v1/channels/<int:channel_id>/test [host's own]", "streamer.channels", ids=HOST_CHANNEL, ok=202,
          effect=added("deliveries", event="channel.test")),
    Route("GET /api/v1/deliveries", "signed-in"),
    Route("POST /api/v1/deliveries/<int:delivery_id>/replay", "campaign.change", ok=202,
          effect=row("deliveries", "DL", state="pending")),
    Route("POST /api/v1/deliveries/<int:delivery_id>/replay [host's own]", "streamer.channels", ok=202,
          ids={"delivery_id": "HDL"}, effect=row("deliveries", "HDL", state="pending")),
    Route("POST /api/v1/deliveries/replay", "campaign.change", ok=202,
          json=lambda w, a: {"since": _day(-1, 0), "channel_id": w.ids["CH"]},
          effect=row("deliveries", "DL", state="pending")),
]

CAMPAIGN_BODY = {"name": "新活动", "min_agri_products_per_session": 1, "max_products_per_session": 5}
PRODUCT_FORM = {"county_id": "A", "name": "宜君新苹果", "sku": "YJ-NEW", "category": "fruit", "price_yuan": "39.90",
                "stock": "100", "unit": "箱", "is_agricultural": "y"}
STREAMER_FORM = {"handle": "new_host", "display_name": "新主播", "platform": "douyin", "followers": "1000",
                 "categories": "fruit", "region": "陕西", "availability": "周五 19:00-22:00", "bio": ""}
PROFILE_FORM = {"display_name": "宜君小美", "platform": "taobao", "categories": "fruit", "region": "陕西",
                "availability": "周五 19:00-22:00", "bio": "新简介"}


def _ids(w, form: dict) -> dict:
    return {k: str(w.ids[v]) if isinstance(v, str) and v in w.ids else v for k, v in form.items()}


def _own_streamer_bio(before, after, w) -> bool:
    return any(r["bio"] == "新简介" for r in after["streamers"].values())


def _calendar_renewed(before, after, w) -> bool:
    return any(r["calendar_generation"] == 1 for r in after["streamers"].values())


def _host_signed_out(before, after, w) -> bool:
    host = w.ids["user:host"]
    return any(r["user_id"] == host and r["revoked_at"] is not None for r in after["api_tokens"].values())


def _audit(action: str) -> Effect:
    return added("audit_entries", action=action)


def _has(table: str, **values) -> Effect:
    """Some row of the table holds these values (strings naming world ids are those ids)."""
    return lambda b, a, w: any(all(r[k] == (w.ids[v] if isinstance(v, str) and v in w.ids else v)
                                   for k, v in values.items()) for r in a[table].values())


def _lacks(table: str, **values) -> Effect:
    """No row of the table holds these values any more (and one did)."""
    has = _has(table, **values)
    return lambda b, a, w: has(a, b, w) and not has(b, a, w)


def _session_body(days: int):
    return lambda w, a: {"campaign_id": w.ids["C"], "streamer_id": w.ids["S1"], "starts_at": _day(days, 20),
                         "ends_at": _day(days, 22), "product_ids": [w.ids["PA1"]]}


def _joined(w, a) -> dict:
    return {"product_id": w.own_product(a)}


SET = lambda value: value is not None  # noqa: E731 - a value test for row()/added()
def _campaign_body(w, a) -> dict:
    return {**CAMPAIGN_BODY, "starts_at": _day(1, 0), "ends_at": _day(20, 0)}


def _campaign_form(w, a) -> dict:
    return {"name": "改名的活动", "starts_at": _local(-1, 12), "ends_at": _local(13, 12),
            "min_agri_products_per_session": "1", "max_products_per_session": "5"}


def _plan_form(w, a) -> dict:
    return {"pick": "0", "p-0": f"{w.ids['S1']}|{_day(4, 20)}|{_day(4, 22)}|{w.ids['PA1']}"}


C_SESSION = {"campaign_id": "C"}
API = [
    Route("GET /api/v1/openapi.json", "public"),
    Route("POST /api/v1/sales", "signed"),
    Route("GET /api/v1/me", "signed-in"),
    Route("GET /api/v1/me/tokens", "signed-in"),
    Route("POST /api/v1/me/tokens", "signed-in", json=lambda w, a: {"name": "脚本"}, ok=201,
          effect=added("api_tokens", name="脚本")),
    Route("POST /api/v1/me/tokens/<int:token_id>/revoke", "own-token", ids={"token_id": "T"},
          effect=row("api_tokens", "T", revoked_at=SET)),
    Route("GET /api/v1/me/pairings", "host.portal"),
    Route("GET /api/v1/me/sessions", "host.portal"),
    Route("GET /api/v1/counties", "county.list"),
    Route("POST /api/v1/counties", "county.create", json=lambda w, a: {"name": "巨鹿县", "province": "河北省"},
          ok=201, effect=added("counties", name="巨鹿县")),
    Route("GET /api/v1/counties/<int:county_id>", "county.change"),
    Route("PATCH /api/v1/counties/<int:county_id>", "county.change", json=lambda w, a: {"story": "新的故事"},
          effect=row("counties", "A", story="新的故事")),
    Route("DELETE /api/v1/counties/<int:county_id>", "county.delete", ids={"county_id": "E0"}, ok=204,
          effect=gone("counties", "E0")),
    Route("POST /api/v1/counties/<int:county_id>/commissioners", "county.assign",
          json=lambda w, a: {"user_id": w.ids["user:editor"]}, ok=201,
          effect=_has("commissioner_counties", user_id="user:editor", county_id="A")),
    Route("DELETE /api/v1/counties/<int:county_id>/commissioners/<int:user_id>", "county.assign",
          ids={"user_id": "user:owner"}, ok=204, effect=_lacks("commissioner_counties", user_id="user:owner", county_id="A")),
    Route("GET /api/v1/products", "product.list"),
    Route("POST /api/v1/products", "product.create", ok=201, effect=added("products", sku="YJ-NEW"),
          json=lambda w, a: {"county_id": w.ids["A"], "name": "宜君新苹果", "sku": "YJ-NEW", "category": "fruit",
                             "price_fen": 3990, "stock": 100}),
    Route("GET /api/v1/products/<int:product_id>", "product.change"),
    Route("PATCH /api/v1/products/<int:product_id>", "product.change", json=lambda w, a: {"stock": 123},
          effect=row("products", "PA3", stock=123)),
    Route("DELETE /api/v1/products/<int:product_id>", "product.change", ok=204, effect=gone("products", "PA3")),
    Route("POST /api/v1/products/<int:product_id>/archive", "product.change",
          effect=row("products", "PA3", archived_at=SET)),
    Route("POST /api/v1/products/<int:product_id>/unarchive", "product.change", effect=_audit("unarchive")),
    Route("POST /api/v1/imports/<any(products, streamers):kind>", "product.import", choice={"kind": "products"},
          files=_products_csv, effect=added("products", name="新苹果")),
    Route("POST /api/v1/imports/<any(products, streamers):kind> [streamers]", "streamer.list",
          choice={"kind": "streamers"}, files=_streamers_csv, effect=added("streamers", display_name="新主播")),
    Route("GET /api/v1/streamers", "streamer.list"),
    Route("POST /api/v1/streamers", "streamer.list", ok=201, effect=added("streamers", handle="new_host"),
          json=lambda w, a: {"handle": "new_host", "display_name": "新主播", "platform": "douyin", "followers": 1000,
                             "categories": ["fruit"]}),
    Route("GET /api/v1/streamers/<int:streamer_id>", "streamer.read"),
    Route("PATCH /api/v1/streamers/<int:streamer_id>", "streamer.profile", json=lambda w, a: {"bio": "新简介"},
          effect=row("streamers", "S1", bio="新简介")),
    Route("DELETE /api/v1/streamers/<int:streamer_id>", "streamer.delete", ids={"streamer_id": "S3"}, ok=204,
          effect=gone("streamers", "S3")),
    Route("POST /api/v1/streamers/<int:streamer_id>/archive", "streamer.change",
          effect=row("streamers", "S1", archived_at=SET)),
    Route("POST /api/v1/streamers/<int:streamer_id>/unarchive", "streamer.change", effect=_audit("unarchive")),
    Route("POST /api/v1/streamers/<int:streamer_id>/calendar/renew", "streamer.calendar",
          effect=row("streamers", "S1", calendar_generation=1)),
    Route("GET /api/v1/streamers/<int:streamer_id>/login-links", "streamer.login_access"),
    Route("POST /api/v1/streamers/<int:streamer_id>/login-links", "streamer.login_access", ok=201,
          effect=lambda b, a, w: len(a["login_links"]) == len(b["login_links"]) + 1),
    Route("POST /api/v1/streamers/<int:streamer_id>/login-links/<int:link_id>/revoke", "streamer.login_access",
          ids={"link_id": "LL"}, effect=row("login_links", "LL", revoked_at=SET)),
    Route("POST /api/v1/streamers/<int:streamer_id>/sign-out-everywhere", "streamer.login_access",
          effect=_host_signed_out),
    Route("GET /api/v1/campaigns", "campaign.list"),
    Route("POST /api/v1/campaigns", "campaign.create", json=_campaign_body, ok=201,
          effect=added("campaigns", name="新活动")),
    Route("GET /api/v1/campaigns/<int:campaign_id>", "campaign.see"),
    Route("PATCH /api/v1/campaigns/<int:campaign_id>", "campaign.change", json=lambda w, a: {"name": "改名的活动"},
          effect=row("campaigns", "C", name="改名的活动")),
    Route("DELETE /api/v1/campaigns/<int:campaign_id>", "campaign.delete", ids={"campaign_id": "D"}, ok=204,
          effect=gone("campaigns", "D")),
    Route("POST /api/v1/campaigns/<int:campaign_id>/status", "campaign.change", json=lambda w, a: {"status": "live"},
          effect=row("campaigns", "C", status="live")),
    Route("GET /api/v1/campaigns/<int:campaign_id>/audit", "campaign.read"),
    Route("GET /api/v1/campaigns/<int:campaign_id>/coverage", "campaign.read"),
    Route("GET /api/v1/campaigns/<int:campaign_id>/export.csv", "campaign.read", query="sheet=sessions"),
    Route("GET /api/v1/campaigns/<int:campaign_id>/export.xlsx", "campaign.read"),
    Route("GET /api/v1/campaigns/<int:campaign_id>/members", "campaign.read"),
    Route("POST /api/v1/campaigns/<int:campaign_id>/members", "campaign.manage_team", ok=201,
          json=lambda w, a: {"user_id": w.ids["user:partner"], "role": "viewer"},
          effect=_has("campaign_members", campaign_id="C", user_id="user:partner", role="viewer")),
    Route("DELETE /api/v1/campaigns/<int:campaign_id>/members/<int:user_id>", "campaign.manage_team",
          ids={"user_id": "user:viewer"}, ok=204, effect=_lacks("campaign_members", campaign_id="C", user_id="user:viewer")),
    Route("GET /api/v1/campaigns/<int:campaign_id>/products", "campaign.read_part"),
    Route("POST /api/v1/campaigns/<int:campaign_id>/products", "campaign.join", json=_joined, ok=201,
          effect=lambda b, a, w: len(a["campaign_products"]) == len(b["campaign_products"]) + 1),
    Route("DELETE /api/v1/campaigns/<int:campaign_id>/products/<int:product_id>", "campaign.unenrol",
          ids={"product_id": "PB2"}, ok=204, effect=_lacks("campaign_products", campaign_id="C", product_id="PB2")),
    Route("GET /api/v1/campaigns/<int:campaign_id>/streamers", "campaign.read"),
    Route("POST /api/v1/campaigns/<int:campaign_id>/streamers", "campaign.change", ok=201,
          json=lambda w, a: {"streamer_id": w.ids["S5"]}, effect=_has("campaign_streamers", campaign_id="C", streamer_id="S5")),
    Route("DELETE /api/v1/campaigns/<int:campaign_id>/streamers/<int:streamer_id>", "campaign.change",
          ids={"streamer_id": "S4"}, ok=204, effect=_lacks("campaign_streamers", campaign_id="C", streamer_id="S4")),
    Route("GET /api/v1/campaigns/<int:campaign_id>/pairings", "campaign.items"),
    Route("POST /api/v1/campaigns/<int:campaign_id>/pairings", "campaign.change", ok=201,
          json=lambda w, a: {"streamer_id": w.ids["S4"], "product_id": w.ids["PB2"]},
          effect=_has("pairings", streamer_id="S4", product_id="PB2")),
    Route("POST /api/v1/campaigns/<int:campaign_id>/pairings/auto", "campaign.change", effect=_audit("pairing-run")),
    Route("GET /api/v1/campaigns/<int:campaign_id>/screens", "campaign.read"),
    Route("POST /api/v1/campaigns/<int:campaign_id>/screens", "campaign.change", json=lambda w, a: {"name": "县政府大屏"},
          ok=201, effect=added("screen_tokens", name="县政府大屏")),
    Route("POST /api/v1/screens/<int:screen_id>/revoke", "campaign.change", ids={"screen_id": "SC"},
          effect=row("screen_tokens", "SC", revoked_at=SET)),
    Route("POST /api/v1/campaigns/<int:campaign_id>/sessions/plan", "campaign.change"),
    Route("POST /api/v1/campaigns/<int:campaign_id>/sessions/plan/confirm", "campaign.change", ok=201,
          json=lambda w, a: {"sessions": [{k: v for k, v in _session_body(3)(w, a).items() if k != "campaign_id"}]},
          effect=_has("live_sessions", campaign_id="C", title="")),
    Route("GET /api/v1/campaigns/<int:campaign_id>/tally", "campaign.tally"),
    Route("GET /api/v1/sessions", "campaign.list"),
    Route("POST /api/v1/sessions", "session.create", json=_session_body(5), ok=201,
          effect=lambda b, a, w: len(a["live_sessions"]) == len(b["live_sessions"]) + 1),
    Route("GET /api/v1/sessions/<int:session_id>", "item.read"),
    Route("GET /api/v1/sessions/<int:session_id>/tally", "item.read"),
    Route("PATCH /api/v1/sessions/<int:session_id>", "item.change", json=lambda w, a: {"title": "改名的夜场"},
          effect=row("live_sessions", "SS_host", title="改名的夜场")),
    Route("POST /api/v1/sessions/<int:session_id>/cancel", "item.change",
          effect=row("live_sessions", "SS_host", status="cancelled")),
    Route("POST /api/v1/pairings/<int:pairing_id>/lock", "item.change", effect=row("pairings", "P_host", status="locked")),
    Route("POST /api/v1/pairings/<int:pairing_id>/unlock", "item.change", effect=_audit("unlock")),
    Route("DELETE /api/v1/pairings/<int:pairing_id>", "item.change", ok=204, effect=gone("pairings", "P_host")),
    Route("POST /api/v1/pairings/<int:pairing_id>/accept", "item.answer",
          effect=row("pairings", "P_host", status="accepted")),
    Route("POST /api/v1/pairings/<int:pairing_id>/decline", "item.answer", json=lambda w, a: {"reason": "档期冲突"},
          effect=row("pairings", "P_host", status="declined", decline_reason="档期冲突")),
    Route("GET /api/v1/ingest-keys", "key.list"),
    Route("POST /api/v1/ingest-keys", "key.create", json=lambda w, a: {"name": "抖音", "campaign_ids": [w.ids["C"]]},
          ok=201, effect=added("ingest_keys", name="抖音", all_campaigns=False)),
    Route("POST /api/v1/ingest-keys [every campaign]", "key.create_for_all", json=lambda w, a: {"name": "快手"},
          ok=201, effect=added("ingest_keys", name="快手", all_campaigns=True)),
    Route("POST /api/v1/ingest-keys/<int:key_id>/rotate", "key.change", json=lambda w, a: {"grace_hours": 1},
          effect=row("ingest_keys", "K", previous_secret=SET)),
    Route("POST /api/v1/ingest-keys/<int:key_id>/revoke", "key.change", effect=row("ingest_keys", "K", revoked_at=SET)),
    *CHANNEL_ROUTES,
]

PAGES = [
    Route("GET /", "signed-in"),
    Route("POST /language", "public", form=lambda w, a: {"lang": "en", "next": "/"}, page_ok=302,
          effect=lambda b, a, w: any(r["locale"] == "en" for r in a["users"].values()) or a == b),
    Route("GET /account/tokens", "signed-in"),
    Route("POST /account/tokens", "signed-in", form=lambda w, a: {"name": "脚本"}, page_ok=200,
          effect=added("api_tokens", name="脚本")),
    Route("POST /account/tokens/<int:token_id>/revoke", "own-token", ids={"token_id": "T"},
          effect=row("api_tokens", "T", revoked_at=SET)),
    Route("POST /account/sign-out-others", "signed-in", effect=_audit("sign-out-others")),
    Route("GET /calendar/<token>.ics", "capability"),
    Route("GET /screen/<token>", "capability"),
    Route("GET /screen/<token>/scopes.json", "capability"),
    Route("GET /screen/<token>/series.json", "capability"),
    Route("GET /login/link/<token>", "unknown-link"),
    Route("POST /login/link/<token>", "unknown-link"),
    Route("GET /counties", "county.list"),
    Route("POST /counties", "county.create", form=lambda w, a: {"name": "巨鹿县", "province": "河北省"},
          effect=added("counties", name="巨鹿县")),
    Route("GET /counties/<int:county_id>/edit", "county.change"),
    Route("POST /counties/<int:county_id>/edit", "county.change", effect=row("counties", "A", story="新的故事"),
          form=lambda w, a: {"name": "宜君县", "province": "陕西省", "story": "新的故事"}),
    Route("POST /counties/<int:county_id>/commissioners", "county.assign",
          form=lambda w, a: {"user_id": str(w.ids["user:editor"])},
          effect=_has("commissioner_counties", user_id="user:editor", county_id="A")),
    Route("POST /counties/<int:county_id>/commissioners/<int:user_id>/remove", "county.assign",
          ids={"user_id": "user:owner"}, effect=_lacks("commissioner_counties", user_id="user:owner", county_id="A")),
    Route("GET /products", "product.list"),
    Route("GET /products/new", "product.list"),
    Route("POST /products/new", "product.create", form=lambda w, a: _ids(w, PRODUCT_FORM), page_invalid=200,
          effect=added("products", sku="YJ-NEW")),
    Route("GET /products/<int:product_id>/edit", "product.change"),
    Route("POST /products/<int:product_id>/edit", "product.change", effect=row("products", "PA3", sku="PA3-NEW"),
          form=lambda w, a: _ids(w, {**PRODUCT_FORM, "sku": "PA3-NEW"})),
    Route("POST /products/<int:product_id>/archive", "product.change", effect=row("products", "PA3", archived_at=SET)),
    Route("GET /import/<any(products, streamers):kind>", "product.list", choice={"kind": "products"}),
    Route("GET /import/<any(products, streamers):kind> [streamers]", "streamer.list", choice={"kind": "streamers"}),
    Route("POST /import/<any(products, streamers):kind>", "product.list", choice={"kind": "products"},
          files=_products_csv, page_ok=200),
    Route("POST /import/<any(products, streamers):kind> [streamers]", "streamer.list", choice={"kind": "streamers"},
          files=_streamers_csv, page_ok=200),
    Route("POST /import/<any(products, streamers):kind>/confirm", "product.list", choice={"kind": "products"},
          form=lambda w, a: {"upload_id": "0" * 32, "mode": "valid_rows"}),
    Route("POST /import/<any(products, streamers):kind>/confirm [streamers]", "streamer.list",
          choice={"kind": "streamers"}, form=lambda w, a: {"upload_id": "0" * 32, "mode": "valid_rows"}),
    Route("GET /streamers", "streamer.list"),
    Route("GET /streamers/new", "streamer.list"),
    Route("POST /streamers/new", "streamer.list", form=lambda w, a: STREAMER_FORM,
          effect=added("streamers", handle="new_host")),
    Route("GET /streamers/<int:streamer_id>/edit", "streamer.change"),
    Route("POST /streamers/<int:streamer_id>/edit", "streamer.change", effect=row("streamers", "S1", handle="s1_renamed"),
          form=lambda w, a: {**STREAMER_FORM, "handle": "s1_renamed"}),
    Route("POST /streamers/<int:streamer_id>/login-link", "streamer.login_access", page_ok=200,
          effect=lambda b, a, w: len(a["login_links"]) == len(b["login_links"]) + 1),
    Route("GET /streamers/<int:streamer_id>/login-links", "streamer.login_access"),
    Route("POST /streamers/<int:streamer_id>/login-links/<int:link_id>/revoke", "streamer.login_access",
          ids={"link_id": "LL"}, effect=row("login_links", "LL", revoked_at=SET)),
    Route("POST /streamers/<int:streamer_id>/sign-out-everywhere", "streamer.login_access", effect=_host_signed_out),
    Route("POST /streamers/<int:streamer_id>/calendar/renew", "streamer.calendar",
          effect=row("streamers", "S1", calendar_generation=1)),
    Route("GET /my/profile", "host.portal"),
    Route("POST /my/profile", "host.portal", form=lambda w, a: PROFILE_FORM, effect=_own_streamer_bio),
    Route("POST /my/calendar/renew", "host.portal", effect=_calendar_renewed),
    Route("GET /my/products/<int:product_id>", "product.brief", ids={"product_id": "PA1"}),
    Route("GET /my/sessions/<int:session_id>/live", "item.host_view"),
    Route("POST /my/pairings/<int:pairing_id>/<any(accept, decline):answer>", "item.answer", choice={"answer": "accept"},
          effect=row("pairings", "P_host", status="accepted")),
    Route("POST /my/pairings/<int:pairing_id>/<any(accept, decline):answer> [decline]", "item.answer",
          choice={"answer": "decline"}, form=lambda w, a: {"reason": "档期冲突"},
          effect=row("pairings", "P_host", status="declined")),
    Route("GET /campaigns/new", "campaign.create"),
    Route("POST /campaigns/new", "campaign.create", form=lambda w, a: {**_campaign_form(w, a), "name": "新活动"},
          effect=added("campaigns", name="新活动")),
    Route("GET /campaigns/<int:campaign_id>", "campaign.page"),
    Route("GET /campaigns/<int:campaign_id>/edit", "campaign.change"),
    Route("POST /campaigns/<int:campaign_id>/edit", "campaign.change", form=_campaign_form,
          effect=row("campaigns", "C", name="改名的活动")),
    Route("POST /campaigns/<int:campaign_id>/status", "campaign.change", form=lambda w, a: {"status": "live"},
          effect=row("campaigns", "C", status="live")),
    Route("POST /campaigns/<int:campaign_id>/enrol/<any(product, streamer):kind>", "campaign.join",
          choice={"kind": "product"}, form=lambda w, a: {"product-item_id": str(w.own_product(a))},
          effect=lambda b, a, w: len(a["campaign_products"]) == len(b["campaign_products"]) + 1),
    Route("POST /campaigns/<int:campaign_id>/enrol/<any(product, streamer):kind> [streamer]", "campaign.change",
          choice={"kind": "streamer"}, form=lambda w, a: {"streamer-item_id": str(w.ids["S5"])},
          effect=_has("campaign_streamers", campaign_id="C", streamer_id="S5")),
    Route("POST /campaigns/<int:campaign_id>/unenrol/<any(product, streamer):kind>/<int:item_id>", "campaign.unenrol",
          choice={"kind": "product"}, ids={"item_id": "PB2"},
          effect=_lacks("campaign_products", campaign_id="C", product_id="PB2")),
    Route("POST /campaigns/<int:campaign_id>/unenrol/<any(product, streamer):kind>/<int:item_id> [streamer]",
          "campaign.change", choice={"kind": "streamer"}, ids={"item_id": "S4"},
          effect=_lacks("campaign_streamers", campaign_id="C", streamer_id="S4")),
    Route("POST /campaigns/<int:campaign_id>/members", "campaign.manage_team",
          form=lambda w, a: {"user_id": str(w.ids["user:partner"]), "role": "viewer"},
          effect=_has("campaign_members", campaign_id="C", user_id="user:partner", role="viewer")),
    Route("POST /campaigns/<int:campaign_id>/members/<int:user_id>/remove", "campaign.manage_team",
          ids={"user_id": "user:viewer"}, effect=_lacks("campaign_members", campaign_id="C", user_id="user:viewer")),
    Route("GET /campaigns/<int:campaign_id>/export.<any(xlsx, csv):fmt>", "campaign.read", choice={"fmt": "xlsx"}),
    Route("GET /campaigns/<int:campaign_id>/export.<any(xlsx, csv):fmt> [csv]", "campaign.read", choice={"fmt": "csv"},
          query="sheet=pairings"),
    Route("GET /campaigns/<int:campaign_id>/pairings", "campaign.read_part"),
    Route("POST /campaigns/<int:campaign_id>/pairings/run", "campaign.change", effect=_audit("pairing-run")),
    Route("POST /campaigns/<int:campaign_id>/pairings/add", "campaign.change",
          form=lambda w, a: {"streamer_id": str(w.ids["S4"]), "product_id": str(w.ids["PB2"])},
          effect=_has("pairings", streamer_id="S4", product_id="PB2")),
    Route("POST /pairings/<int:pairing_id>/<any(lock, unlock, remove):action>", "item.change", choice={"action": "lock"},
          effect=row("pairings", "P_host", status="locked")),
    Route("POST /pairings/<int:pairing_id>/<any(lock, unlock, remove):action> [unlock]", "item.change",
          choice={"action": "unlock"}, effect=_audit("unlock")),
    Route("POST /pairings/<int:pairing_id>/<any(lock, unlock, remove):action> [remove]", "item.change",
          choice={"action": "remove"}, effect=gone("pairings", "P_host")),
    Route("GET /campaigns/<int:campaign_id>/calendar", "campaign.read_part"),
    Route("GET /campaigns/<int:campaign_id>/plan", "campaign.change"),
    Route("POST /campaigns/<int:campaign_id>/plan", "campaign.change", form=_plan_form,
          effect=lambda b, a, w: len(a["live_sessions"]) == len(b["live_sessions"]) + 1),
    Route("GET /sessions/<int:session_id>/edit", "item.change"),
    Route("POST /sessions/<int:session_id>/edit", "item.change", effect=row("live_sessions", "SS_host", title="改名的夜场"),
          form=lambda w, a: {"starts_at": _local(2, 19), "ends_at": _local(2, 21), "title": "改名的夜场",
                             "product_ids": [str(w.ids["PA1"]), str(w.ids["PB1"])]}),
    Route("POST /sessions/<int:session_id>/move", "item.change", page_ok=200,
          form=lambda w, a: {"day": (clock.now() + timedelta(days=3)).date().isoformat()},
          effect=lambda b, a, w: a["live_sessions"][(w.ids["SS_host"],)]["starts_at"]
          != b["live_sessions"][(w.ids["SS_host"],)]["starts_at"]),
    Route("POST /sessions/<int:session_id>/cancel", "item.change",
          effect=row("live_sessions", "SS_host", status="cancelled")),
    Route("GET /campaigns/<int:campaign_id>/screens", "campaign.read"),
    Route("POST /campaigns/<int:campaign_id>/screens", "campaign.change", form=lambda w, a: {"name": "县政府大屏"},
          page_ok=200, effect=added("screen_tokens", name="县政府大屏")),
    Route("POST /screens/<int:screen_id>/revoke", "campaign.change", ids={"screen_id": "SC"},
          effect=row("screen_tokens", "SC", revoked_at=SET)),
    Route("GET /campaigns/<int:campaign_id>/channels", "campaign.read"),
    Route("POST /campaigns/<int:campaign_id>/channels", "campaign.change", effect=added("channels", name="新渠道"),
          form=lambda w, a: {"kind": "email", "name": "新渠道", "address": "team@example.com", "locale": "zh-CN",
                             "events": ["session.reminder", "campaign.status"]}),
    Route("GET /streamers/<int:streamer_id>/channels", "streamer.channels"),
    Route("POST /streamers/<int:streamer_id>/channels", "streamer.channels", effect=added("channels", name="新渠道"),
          form=lambda w, a: {"kind": "email", "name": "新渠道", "address": "host@example.com", "locale": "zh-CN"}),
    Route("GET /my/channels", "host.portal"),
    Route("POST /my/channels", "host.portal", effect=added("channels", name="新渠道"),
          form=lambda w, a: {"kind": "email", "name": "新渠道", "address": "host@example.com", "locale": "zh-CN"}),
    Route("POST /channels/<int:channel_id>/<any(test, off, on, delete):action>", "campaign.change",
          choice={"action": "test"}, effect=added("deliveries", event="channel.test")),
    Route("POST /channels/<int:channel_id>/<any(test, off, on, delete):action> [off]", "campaign.change",
          choice={"action": "off"}, effect=row("channels", "CH", enabled=False)),
    Route("POST /channels/<int:channel_id>/<any(test, off, on, delete):action> [on]", "campaign.change",
          choice={"action": "on"}, effect=_audit("update")),
    Route("POST /channels/<int:channel_id>/<any(test, off, on, delete):action> [delete]", "campaign.change",
          choice={"action": "delete"}, effect=gone("channels", "CH")),
    Route("POST /channels/<int:channel_id>/<any(test, off, on, delete):action> [host's own test]", "streamer.channels",
          ids=HOST_CHANNEL, choice={"action": "test"}, effect=added("deliveries", event="channel.test")),
    Route("POST /channels/<int:channel_id>/<any(test, off, on, delete):action> [host's own off]", "streamer.channels",
          ids=HOST_CHANNEL, choice={"action": "off"}, effect=row("channels", "HCH", enabled=False)),
    Route("POST /channels/<int:channel_id>/<any(test, off, on, delete):action> [host's own on]", "streamer.channels",
          ids=HOST_CHANNEL, choice={"action": "on"}, effect=_audit("update")),
    Route("POST /channels/<int:channel_id>/<any(test, off, on, delete):action> [host's own delete]",
          "streamer.channels", ids=HOST_CHANNEL, choice={"action": "delete"}, effect=gone("channels", "HCH")),
    Route("GET /deliveries", "signed-in"),
    Route("POST /deliveries/<int:delivery_id>/replay", "campaign.change", effect=row("deliveries", "DL", state="pending")),
    Route("POST /deliveries/<int:delivery_id>/replay [host's own]", "streamer.channels", ids={"delivery_id": "HDL"},
          effect=row("deliveries", "HDL", state="pending")),
    Route("POST /deliveries/replay", "campaign.change", effect=row("deliveries", "DL", state="pending"),
          form=lambda w, a: {"since": _local(-1, 0), "channel_id": str(w.ids["CH"])}),
    Route("GET /ingest-keys", "key.list"),
    Route("POST /ingest-keys", "key.create", form=lambda w, a: {"name": "抖音", "campaign_ids": str(w.ids["C"])},
          page_ok=200, effect=added("ingest_keys", name="抖音", all_campaigns=False)),
    Route("POST /ingest-keys [every campaign]", "key.create_for_all", page_ok=200,
          form=lambda w, a: {"name": "快手", "every_campaign": "y"}, effect=added("ingest_keys", name="快手", all_campaigns=True)),
    Route("POST /ingest-keys/<int:key_id>/<any(rotate, revoke):action>", "key.change", choice={"action": "rotate"},
          page_ok=200, effect=row("ingest_keys", "K", previous_secret=SET)),
    Route("POST /ingest-keys/<int:key_id>/<any(rotate, revoke):action> [revoke]", "key.change",
          choice={"action": "revoke"}, effect=row("ingest_keys", "K", revoked_at=SET)),
]

# The samples' routes build on Route above.
from tests.access.routes_host_samples import host_sample_pages  # noqa: E402
from tests.access.routes_reconcile import reconcile_routes  # noqa: E402
from tests.access.routes_reconcile_pages import reconcile_pages  # noqa: E402
from tests.access.routes_report import report_routes  # noqa: E402
from tests.access.routes_results import results_pages  # noqa: E402
from tests.access.routes_sample_pages import sample_pages  # noqa: E402
from tests.access.routes_sample_sheets import sample_sheets  # noqa: E402
from tests.access.routes_samples import sample_api  # noqa: E402

ROUTES = API + PAGES + sample_api(Route) + sample_pages(Route) + host_sample_pages(Route) + sample_sheets(Route) \
    + report_routes(Route) + results_pages(Route) + reconcile_routes(Route) + reconcile_pages(Route)
DEFAULT_IDS = {"sample_id": "SM_req", "campaign_id": "C", "county_id": "A", "product_id": "PA3", "streamer_id": "S1",
               "pairing_id": "P_host", "session_id": "SS_host", "key_id": "K", "screen_id": "SC", "token_id": "T",
               "link_id": "LL", "channel_id": "CH", "delivery_id": "DL",
               "reconciliation_id": "RC"}
