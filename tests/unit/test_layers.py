"""The layers are the folders (README « Architecture »): each imports only those below it, no import
circle, Streamlit in one package, small modules and thin pages. Read from the code's own imports
(every ``import`` statement, at the top or inside a function)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lib.core.config import ROOT

LAYERS = ["core", "sources", "datasets", "indicators", "render", "views", "app", "cli"]  # bottom to top
MAX_MODULE_LINES = 600
MAX_PAGE_LINES = 150
STREAMLIT = ("streamlit", "streamlit_folium")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    """Layer index of a ``lib`` module; ``lib.cli`` and ``lib.__main__`` sit at the top, beside the pages."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in ("cli", "__main__"):
        return LAYERS.index("cli")
    return LAYERS.index(parts[1])


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports (absolute names), relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


LIB = sorted((ROOT / "lib").rglob("*.py"))
MODULES = {module_name(path): path for path in LIB}


def lib_imports(path: Path) -> set[str]:
    """The ``lib`` modules ``path`` imports (a name imported from a package counts when it is a module)."""
    return {name for name in imports_of(path) if name in MODULES and name != "lib"}


def test_every_lib_module_is_in_a_layer_folder():
    loose = [name for name, path in MODULES.items() if name.count(".") == 1 and path.name != "__init__.py"
             and name not in ("lib.cli", "lib.__main__")]
    assert not loose, f"modules hors d'un dossier de couche : {loose}"


def test_no_import_runs_back_up():
    upward = []
    for name, path in MODULES.items():
        if name == "lib":
            continue
        for imported in lib_imports(path):
            if imported.count(".") >= 1 and imported != "lib" and layer_of(imported) > layer_of(name):
                upward.append(f"{name} -> {imported}")
    assert not upward, "imports vers une couche supérieure :\n" + "\n".join(sorted(upward))


def test_no_import_circle():
    graph = {name: {m for m in lib_imports(path) if m != name} for name, path in MODULES.items()}
    # a package's __init__ is where its modules are found, not a module they use: left out of the circles
    graph = {name: {m for m in targets if MODULES[m].name != "__init__.py"} for name, targets in graph.items()}
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                circles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for start in graph:
        if start not in state:
            visit(start, [start])
    assert not circles, "cercles d'imports : " + " ; ".join(" -> ".join(c) for c in circles)


def test_streamlit_is_imported_in_one_package():
    outside = [name for name, path in MODULES.items()
               if not name.startswith("lib.app") and any(i.split(".")[0] in STREAMLIT for i in imports_of(path))]
    assert not outside, f"streamlit importé hors de lib/app : {outside}"


@pytest.mark.parametrize("path", LIB, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_over_600_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} : {lines} lignes"


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_are_layout_only(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_PAGE_LINES, f"{path.name} : {lines} lignes"
    # a page lays out what views computed: it reads no file and calls no reader or indicator itself
    forbidden = [i for i in imports_of(path) if i.startswith(("lib.sources", "lib.datasets.", "pandas.read"))]
    assert not forbidden, f"{path.name} importe {forbidden}"
