"""axe-core, injected into a page under test: the accessibility violations a person using a screen reader,
a keyboard or weak eyesight would meet."""
from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
BLOCKING = ("critical", "serious")


def violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """Run axe on the page as it stands (WCAG 2.1 A and AA) and return its violations of the given impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})).violations")
    return [item for item in found if item["impact"] in impacts]


def describe(found: list[dict]) -> str:
    """A readable account of violations for an assertion message: rule, impact and the first offending nodes."""
    lines = []
    for item in found:
        targets = "; ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                            for node in item["nodes"][:4])
        lines.append(f"{item['id']} ({item['impact']}, {len(item['nodes'])} nodes): {item['help']} -> {targets}")
    return "\n".join(lines)
