"""The house's import rules: imports run one way between the apps and no module imports itself.

DESIGN.md: `reporting -> deviations -> budget -> styrmodell` and `reporting -> goals ->
styrmodell`, with the read API (`api`) above them all. The direction is import-linter's
contracts in pyproject.toml; the circles are found in grimp's graph of every module, imports
inside functions included.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
APPS = ("styrmodell", "goals", "budget", "deviations", "reporting", "api")

# Circles that are known and not yet broken; none is left. A circle broken must come off this set.
KNOWN_CIRCLES: set[frozenset[str]] = set()

LINT_IMPORTS = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(no_cache=True, no_logo=True))\n"
)


def import_graph() -> grimp.ImportGraph:
    return grimp.build_graph(*APPS, cache_dir=None)


def circles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """The modules that reach one another through imports, as sets (Tarjan's components)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in on_stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def describe(graph: grimp.ImportGraph, circle: frozenset[str]) -> str:
    lines = []
    for importer in sorted(circle):
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & circle):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                lines.append(f"  {importer}:{detail['line_number']} {detail['line_contents']}")
    return "\n".join(lines)


def test_imports_run_the_way_design_says():
    result = subprocess.run([sys.executable, "-c", LINT_IMPORTS], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_imports_itself_through_others():
    graph = import_graph()
    unexpected = [circle for circle in circles(graph) if circle not in KNOWN_CIRCLES]
    assert not unexpected, "Import circles:\n" + "\n\n".join(
        describe(graph, circle) for circle in unexpected)


def test_the_known_circles_are_still_there():
    """Once a known circle is broken, take it off KNOWN_CIRCLES so it cannot come back."""
    present = set(circles(import_graph()))
    assert KNOWN_CIRCLES <= present, sorted(map(sorted, KNOWN_CIRCLES - present))


def test_the_circle_finder_finds_a_circle():
    graph = grimp.ImportGraph()
    for module in ("a", "a.one", "a.two", "a.three"):
        graph.add_module(module)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.three")
    graph.add_import(importer="a.three", imported="a.one")
    graph.add_import(importer="a", imported="a.one")
    assert circles(graph) == [frozenset({"a.one", "a.two", "a.three"})]
