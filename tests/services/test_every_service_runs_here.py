"""Every public service function is called by a test in this folder: outside a request, with the settings
injected and the app's config refusing to give them out (tests/services/conftest.py)."""
from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "coordinator" / "services"
HERE = Path(__file__).resolve().parent


def public_functions() -> set[str]:
    """'module.function' of every public function of coordinator/services."""
    found = set()
    for path in SERVICES.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found.add(f"{path.stem}.{node.name}")
    return found


def called_here() -> set[str]:
    """'module.function' of every call of the form module.function(...) in this folder's tests."""
    calls = set()
    for path in HERE.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name):
                calls.add(f"{node.func.value.id}.{node.func.attr}")
    return calls


def test_every_public_service_function_is_called_by_a_service_test():
    assert sorted(public_functions() - called_here()) == []
