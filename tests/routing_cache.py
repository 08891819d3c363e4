"""Werkzeug's URL builders compiled once per rule for the whole test run, instead of once per `create_app`.

Every app test builds its own application, and about nine tenths of `create_app` is Werkzeug compiling a Python
function (ast, then `compile`) to build each of the URL map's ~1000 rules. The function Werkzeug makes depends
only on the rule's text, its parsed parts, its defaults and whether unknown arguments are appended; it reads the
rule's converters through its bound `self` when called. So the same function serves every later rule with the
same key, bound to that rule as Werkzeug binds it: URL building works exactly as without the cache, the cost is
paid once per worker. Servers the tests start in child processes do not load this and compile as usual.

If Werkzeug's internals change shape, nothing is patched and apps are built the ordinary way.
"""
from __future__ import annotations

from typing import Any, Callable

_installed = False


def _key(rule: Any, append_unknown: bool) -> tuple:
    defaults = rule.defaults or {}
    folded = tuple((data, rule._converters[data].to_url(defaults[data]))
                   for is_dynamic, data in rule._trace if is_dynamic and data in defaults)
    return (type(rule), append_unknown, rule.rule, tuple(rule._trace), tuple(str(k) for k in defaults), folded)


def install() -> None:
    """Memoise `Rule._compile_builder` by the inputs its result depends on."""
    global _installed
    if _installed:
        return
    try:
        from werkzeug.routing.rules import Rule
    except ImportError:  # pragma: no cover - Werkzeug always comes with Flask
        return
    original: Callable | None = getattr(Rule, "_compile_builder", None)
    names = Rule.compile.__code__.co_names
    if original is None or "_trace" not in names or "_compile_builder" not in names:
        return
    cache: dict[tuple, Callable] = {}

    def _compile_builder(self, append_unknown: bool = True):
        try:
            key = _key(self, append_unknown)
            hash(key)
        except Exception:  # noqa: BLE001 - an unusual rule or converter: compile it the ordinary way
            return original(self, append_unknown)
        built = cache.get(key)
        if built is None:
            built = cache[key] = original(self, append_unknown)
        return built

    _compile_builder.__wrapped__ = original  # type: ignore[attr-defined]
    Rule._compile_builder = _compile_builder
    _installed = True
