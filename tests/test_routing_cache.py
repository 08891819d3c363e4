"""The test run's cache of Werkzeug's URL builders (tests/routing_cache.py) hands every rule the very builder
Werkzeug would compile for it."""
from __future__ import annotations

from werkzeug.routing.rules import Rule


def _shape(function) -> tuple:
    code = function.__code__
    return code.co_code, code.co_consts, code.co_varnames, code.co_names, code.co_name, function.__defaults__


def test_each_rule_gets_the_builder_werkzeug_compiles_for_it(app):
    original = getattr(Rule._compile_builder, "__wrapped__", None)
    assert original is not None, "the routing cache is not installed: create_app compiles every builder again"
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    for rule in rules:
        for append_unknown in (False, True):
            assert _shape(Rule._compile_builder(rule, append_unknown)) == _shape(original(rule, append_unknown)), rule
    with app.test_request_context():
        from flask import url_for

        assert url_for("static", filename="a b.css", v=2) == "/static/a%20b.css?v=2"
