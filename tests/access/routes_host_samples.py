"""The host's sample pages in the access matrix: their list, asking for a sample, "I received it", cancelling, and
the shipping address they keep on their profile page (host S1 has SM_req, SM_app, SM_ship and P_hostB1 without one).
"""
from __future__ import annotations

from tests.access.effects import added, row

ADDRESS_FORM = {"recipient": "李四", "phone": "13900000000", "address": "贵州省黔西南州普安县1号"}


def _own_address_saved(before, after, world) -> bool:
    """The caller's own address now reads 李四 (the host's replaced, the other host's added)."""
    return any(r["recipient"] == "李四" and before["shipping_addresses"].get(pk) != r
               for pk, r in after["shipping_addresses"].items())


def host_sample_pages(Route) -> list:
    """These routes (Route is passed in: routes.py imports this module)."""
    return [
        Route("GET /my/samples", "host.portal"),
        # The pairing is named in the body: whoever may ask for its sample is answered with the list page; the
        # other host, who may not know it, gets the page back with "unknown pairing" (422 -> page_invalid).
        Route("POST /my/samples", "sample.request", form=lambda w, a: {"pairing_id": str(w.ids["P_hostB1"]),
                                                                         "quantity": "3"},
              effect=added("samples", status="requested", quantity=3)),
        Route("POST /my/samples/<int:sample_id>/receive", "sample.receive", ids={"sample_id": "SM_ship"},
              effect=row("samples", "SM_ship", status="received")),
        Route("POST /my/samples/<int:sample_id>/cancel", "sample.cancel",
              effect=row("samples", "SM_req", status="cancelled")),
        # The caller's own address, like POST /my/profile: no streamer is named, so host.portal (streamer.profile
        # is the API's PUT /streamers/<id>/address, which names one).
        Route("POST /my/address", "host.portal", form=lambda w, a: ADDRESS_FORM, effect=_own_address_saved),
    ]
