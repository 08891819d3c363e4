"""Building a small campaign through the real API for the session tests."""
from __future__ import annotations

from dataclasses import dataclass, field

from tests.factories import bearer


@dataclass
class World:
    """Ids of what a test works with and the headers to act as a commissioner."""

    headers: dict
    campaign_id: int
    streamers: list[int]
    products: dict[str, int] = field(default_factory=dict)


def post(client, headers, path, body, status=201):
    """POST JSON and check the answer's status."""
    response = client.post(f"/api/v1{path}", json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def build(app, client, starts="2026-11-11T00:00:00+08:00", ends="2026-11-25T00:00:00+08:00",
          streamers=2, min_agri=1, max_products=3) -> World:
    """A county, four products (one not agricultural, one out of season, one out of stock), streamers, a campaign."""
    headers = bearer(app, "planner", "commissioner", is_admin=True)
    county = post(client, headers, "/counties", {"name": "Yijun", "province": "Shaanxi"})["id"]
    specs = {
        "apple": {"is_agricultural": True, "stock": 100},
        "grits": {"is_agricultural": True, "stock": 100},
        "mug": {"is_agricultural": False, "stock": 100},
        "spring": {"is_agricultural": True, "stock": 100, "available_from": "2026-03-01", "available_to": "2026-05-01"},
        "empty": {"is_agricultural": True, "stock": 0},
    }
    world = World(headers, 0, [])
    for sku, extra in specs.items():
        world.products[sku] = post(client, headers, "/products", {
            "county_id": county, "name": sku, "sku": sku, "category": "fruit", "price_fen": 1000, **extra})["id"]
    world.campaign_id = post(client, headers, "/campaigns", {
        "name": "Double 11", "starts_at": starts, "ends_at": ends, "min_agri_products_per_session": min_agri,
        "max_products_per_session": max_products})["id"]
    for n in range(streamers):
        sid = post(client, headers, "/streamers", {"handle": f"host{n}", "display_name": f"Host {n}",
                                                   "platform": "douyin", "followers": 1000, "categories": ["fruit"]})["id"]
        world.streamers.append(sid)
        post(client, headers, f"/campaigns/{world.campaign_id}/streamers", {"streamer_id": sid})
    for pid in world.products.values():
        post(client, headers, f"/campaigns/{world.campaign_id}/products", {"product_id": pid})
    return world


def session_body(world: World, start: str, end: str, streamer: int = 0, products=("apple", "mug")) -> dict:
    """A session request for one of the world's streamers."""
    return {"campaign_id": world.campaign_id, "streamer_id": world.streamers[streamer], "starts_at": start,
            "ends_at": end, "product_ids": [world.products[p] for p in products]}
