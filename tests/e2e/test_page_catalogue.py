"""The page catalogue covers every page endpoint: a new page nobody added to it fails here, before it ships
unchecked by the accessibility and weak-network tests that walk the catalogue."""
from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from config import TestingConfig
from coordinator import create_app
from tests.e2e.page_catalogue import NOT_PAGES, ROLES, catalogue


@pytest.fixture(scope="module")
def url_map(demo_server):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = demo_server.env["DATABASE_URL"]
    return create_app(config).url_map


def page_endpoints(url_map) -> set[str]:
    """Endpoints a browser can GET, outside the JSON API."""
    return {rule.endpoint for rule in url_map.iter_rules()
            if "GET" in rule.methods and not rule.rule.startswith("/api/")}


def endpoint_of(url_map, path: str) -> str | None:
    try:
        endpoint, _args = url_map.bind("localhost").match(path, method="GET")
    except NotFound:
        return None
    return endpoint


def test_every_page_endpoint_is_in_the_catalogue(demo_server, url_map):
    pages = catalogue(demo_server.env["DATABASE_URL"])
    covered = {endpoint_of(url_map, page.path) for page in pages}
    missing = page_endpoints(url_map) - covered - set(NOT_PAGES)
    assert not missing, f"pages missing from tests/e2e/page_catalogue.py (or add them to NOT_PAGES): {sorted(missing)}"


def test_the_exclusions_are_real_endpoints_and_not_in_the_catalogue(demo_server, url_map):
    pages = catalogue(demo_server.env["DATABASE_URL"])
    assert set(NOT_PAGES) <= page_endpoints(url_map)
    assert not {endpoint_of(url_map, page.path) for page in pages} & set(NOT_PAGES)


def test_catalogue_names_are_unique_and_roles_known(demo_server):
    pages = catalogue(demo_server.env["DATABASE_URL"])
    assert len({page.name for page in pages}) == len(pages)
    assert {page.role for page in pages} == set(ROLES)
    assert catalogue(demo_server.env["DATABASE_URL"]) == pages  # asked twice, the same links
