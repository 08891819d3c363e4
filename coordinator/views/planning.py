"""The planning pages' blueprint: counties, products, streamers, campaigns, pairing board, calendar, keys."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("plan", __name__)
