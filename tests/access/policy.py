"""The expectations of the access matrix, read from the README's "Who may do what" table (never from the code)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
COLUMNS = ("admin", "owner", "editor", "viewer", "partner", "outsider", "manager", "host", "other_host")
# Rules the README states in words: the same answer for everyone, logged in or not.
UNIVERSAL = {"public": "✓", "capability": "✓", "unknown-link": "404", "signed": "401"}
WITHOUT_LOGIN = ("anonymous", "screen", "revoked")
MARKS = {"✓", "∅", "401", "403", "404", "422"}


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """Each rule of the README's table with the mark of each kind of caller."""
    rules: dict[str, dict[str, str]] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([a-z_.\-]+)` \|[^|]*\|(.*)\|\s*$", line)
        if not match:
            continue
        marks = [cell.strip() for cell in match.group(2).split("|")]
        assert len(marks) == len(COLUMNS) and set(marks) <= MARKS, f"README row {match.group(1)} is malformed"
        rules[match.group(1)] = dict(zip(COLUMNS, marks))
    return rules


def mark(rule: str, actor: str) -> str:
    """What the README says a caller gets from a rule: ✓, ∅, or a refusal's status."""
    if rule in UNIVERSAL:
        return UNIVERSAL[rule]
    if actor in WITHOUT_LOGIN:
        return "401"
    return table()[rule][actor]
