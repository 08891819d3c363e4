"""The role-by-endpoint matrix: every route in the URL map, for every actor, answers as tests/access/expected.py says.

Actors: anonymous; the demo's commissioner (owner); a commissioner of another county (outsider); the demo host;
another host (owner of the pairing, session and profile the URLs name); the war-room screen token and a revoked
API token used as bearer tokens. Cells marked "ok" are changes the actor may make and are not re-run here; every
other cell is sent, and afterwards nothing in the database has changed.
"""
from __future__ import annotations

from coordinator.extensions import db
from tests.access.expected import ACTORS as TABLE_ACTORS, EXPECTED
from tests.access.matrix import MUTATING, key, page_clients, routes, send
from tests.access.world import ACTORS, build, fingerprint


def test_every_route_is_in_the_matrix(app):
    names = {key(method, rule) for method, rule in routes(app)}
    assert TABLE_ACTORS == ACTORS
    assert sorted(names - EXPECTED.keys()) == [], "new routes: regenerate tests/access/expected.py and review it"
    assert sorted(EXPECTED.keys() - names) == [], "routes gone: regenerate tests/access/expected.py"


def test_each_actor_gets_the_expected_answer_and_forbidden_changes_change_nothing(app, clock):
    with app.app_context():
        world = build()
        before = fingerprint()
    clients = page_clients(app, world)
    wrong, sent = [], 0
    for method, rule in routes(app):
        expected = EXPECTED[key(method, rule)].split()
        for actor, status in zip(ACTORS, expected):
            if status == "ok" and method in MUTATING:
                continue
            got = send(app, clients, world, actor, method, rule)
            sent += 1
            if str(got) != status:
                wrong.append(f"{method} {rule} as {actor}: expected {status}, got {got}")
    assert not wrong, "\n".join(wrong)
    assert sent > 700
    with app.app_context():
        db.session.remove()
        assert fingerprint() == before, "a request the matrix expects to be refused changed the database"


def test_no_cell_of_the_matrix_is_a_server_error():
    assert not [name for name, row in EXPECTED.items() if any(s.startswith("5") for s in row.split())]


# What a host may use; every other route is the commissioners' (or a capability URL, or signed by a platform).
FOR_HOSTS = {
    "GET /", "GET /account/tokens", "POST /account/tokens", "POST /account/tokens/<int:token_id>/revoke",
    "POST /account/sign-out-others",
    "POST /language", "GET /api/v1/me", "GET /api/v1/me/pairings", "GET /api/v1/me/sessions", "GET /api/v1/me/tokens",
    "POST /api/v1/me/tokens", "POST /api/v1/me/tokens/<int:token_id>/revoke", "GET /api/v1/openapi.json",
    "GET /api/v1/campaigns", "GET /api/v1/campaigns/<int:campaign_id>", "GET /api/v1/campaigns/<int:campaign_id>/tally",
    "GET /api/v1/campaigns/<int:campaign_id>/pairings", "GET /api/v1/sessions",
    "GET /my/products/<int:product_id>", "GET /my/profile", "POST /my/profile",
}
# Routes naming the other host's pairing, session or profile: theirs to use, never the host's.
OTHER_HOSTS = {
    "POST /api/v1/pairings/<int:pairing_id>/accept", "POST /api/v1/pairings/<int:pairing_id>/decline",
    "GET /api/v1/sessions/<int:session_id>", "GET /api/v1/sessions/<int:session_id>/tally",
    "GET /api/v1/streamers/<int:streamer_id>", "PATCH /api/v1/streamers/<int:streamer_id>",
    "POST /my/pairings/<int:pairing_id>/<any(accept, decline):answer>", "GET /my/sessions/<int:session_id>/live",
}
CAPABILITY_OR_SIGNED = {"GET /calendar/<token>.ics", "GET /screen/<token>", "GET /screen/<token>/scopes.json",
                        "GET /screen/<token>/series.json", "GET /login/link/<token>", "POST /login/link/<token>",
                        "POST /api/v1/sales"}


def test_a_host_reaches_nothing_of_the_commissioners_nor_of_another_host():
    host, other = ACTORS.index("host"), ACTORS.index("other_host")
    for name, row in EXPECTED.items():
        statuses = row.split()
        if name in FOR_HOSTS or name in CAPABILITY_OR_SIGNED:
            continue
        if name in OTHER_HOSTS:
            assert statuses[other] in ("200", "ok", "422"), name  # 422: the empty body the matrix sends
        assert statuses[host] in ("403", "404", "422"), name
        assert statuses[host] != "422" or name in OTHER_HOSTS, name
