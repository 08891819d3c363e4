"""Drafts matrix entries for routes tests/access/routes.py lacks: `.venv/bin/python -m tests.access.propose`.

It only proposes. The rule it prints is a guess from the nearest known route (the longest shared path prefix);
a person decides the rule from the README's table, writes a valid body and the effect, and adds the entry.
Nothing here writes a file or reads what the code answers.
"""
from __future__ import annotations

import os

from tests.access.matrix import route_keys
from tests.access.routes import ROUTES


def nearest_rule(key: str) -> str:
    """The rule of the known route whose URL shares the longest prefix with this one."""
    path = key.split(" ", 1)[1]
    best = max(ROUTES, key=lambda route: len(os.path.commonprefix([route.rule_path, path])))
    return best.rule


def drafts(app) -> list[str]:
    """A draft Route(...) line for each route of the URL map that the matrix does not list."""
    known = {route.key.split(" [")[0] for route in ROUTES}
    return [f'    Route("{key}", "{nearest_rule(key)}"),  # proposed: decide the rule, body and effect'
            for key in sorted(route_keys(app) - known)]


if __name__ == "__main__":
    from config import TestingConfig
    from coordinator import create_app

    application = create_app({k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()})
    print("\n".join(drafts(application)) or "Every route is in tests/access/routes.py.")
