"""Rules of the streamer's portal that need no database: login links, product pictures, stock warnings."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import Enum

LOW_STOCK_SHARE = 0.1
# Categories that have their own drawing under static/img/products/; anything else gets the generic basket.
DRAWN_CATEGORIES = {"fruit", "grain", "tea", "snack", "vegetable", "honey", "meat"}
USERNAME_SAFE = re.compile(r"[^A-Za-z0-9_.\-]")


class LinkState(str, Enum):
    """Whether a login link may still be used."""

    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


def link_expiry(created_at: datetime, hours: int) -> datetime:
    """When a link made now stops working (at least one hour later)."""
    return created_at + timedelta(hours=max(1, hours))


def link_state(expires_at: datetime, used_at: datetime | None, now: datetime,
               revoked_at: datetime | None = None) -> LinkState:
    """A link works once, before it expires, unless revoked; a used link says so even after its expiry."""
    if used_at is not None:
        return LinkState.USED
    if revoked_at is not None:
        return LinkState.REVOKED
    return LinkState.VALID if now < expires_at else LinkState.EXPIRED


def username_for(handle: str, taken: set[str]) -> str:
    """A free username for a streamer's new account: the handle, or the handle with a number."""
    base = (USERNAME_SAFE.sub("", handle) or "host")[:60]
    if len(base) < 2:
        base = f"host-{base}"
    candidate, number = base, 2
    while candidate.lower() in {name.lower() for name in taken}:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def picture_path(category: str, image_url: str) -> str:
    """The product's own picture when it is on this site, else the drawing of its category (a static path)."""
    url = (image_url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    name = category if category in DRAWN_CATEGORIES else "other"
    return f"/static/img/products/{name}.svg"


def stock_left(stock: int, sold: int) -> int:
    """Stock not yet sold (never below zero)."""
    return max(0, stock - sold)


def running_low(left: int, stock: int) -> bool:
    """True when a tenth of the stock or less is left."""
    return left <= stock * LOW_STOCK_SHARE
