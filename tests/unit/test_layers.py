"""The layers of ``geo`` hold: each subpackage imports only from its own layer or below, no
module imports another in a cycle, and Streamlit is imported only in ``geo.app``.

The order, bottom to top: ``core`` → ``analysis`` → ``present`` → ``render`` → ``app``.
``build`` (the offline boundary builder) stands apart and may use ``core`` only; the command
line (``geo.__main__``) sits on top and may use every layer but ``app``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[2] / "geo"
ORDER = ("core", "analysis", "present", "render", "app")
ALLOWED = {layer: set(ORDER[: i + 1]) for i, layer in enumerate(ORDER)}
ALLOWED["build"] = {"core", "build"}
ALLOWED["__main__"] = (set(ORDER) - {"app"}) | {"build"}
ALLOWED["__init__"] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(GEO.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports (at any depth of the file, lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module if node.level == 0 else _resolve(path, node.module, node.level)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _resolve(path: Path, module: str, level: int) -> str:
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    return ".".join([*package[: len(package) - level + 1], module])


MODULES = {module_name(p): p for p in sorted(GEO.rglob("*.py"))}


def geo_imports(module: str) -> set[str]:
    """The modules of ``geo`` that ``module`` imports (packages resolved to their modules)."""
    return (
        {
            m
            for m in imports_of(MODULES[module])
            if m in MODULES and m != module and not m.endswith("__init__")
        }
        - {"geo"}
        - {
            m
            for m in imports_of(MODULES[module])
            if m in MODULES and MODULES[m].name == "__init__.py"
        }
    )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_downward(module: str) -> None:
    layer = layer_of(module)
    if layer.startswith("__main__"):
        layer = "__main__"
    upward = sorted(m for m in geo_imports(module) if layer_of(m) not in ALLOWED[layer])
    assert not upward, f"{module} ({layer}) imports upward: {upward}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_streamlit_only_in_app(module: str) -> None:
    uses = sorted(
        m
        for m in imports_of(MODULES[module])
        if m == "streamlit" or m.startswith(("streamlit.", "streamlit_folium"))
    )
    if layer_of(module) == "app":
        return
    assert not uses, f"{module} imports Streamlit ({uses}); only geo.app may"


def test_no_import_cycles() -> None:
    graph = {m: geo_imports(m) for m in MODULES}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert not cycles, f"import cycles: {cycles}"


def test_checker_sees_a_violation(tmp_path: Path) -> None:
    """The reader finds imports written every way the code writes them."""
    src = tmp_path / "m.py"
    src.write_text(
        "import geo.app.ui\nfrom geo.render import maps\n"
        "def f():\n    from geo.present.labels import project_name\n"
    )
    found = imports_of(src)
    assert {"geo.app.ui", "geo.render.maps", "geo.present.labels.project_name"} <= found


def test_reads_every_layer() -> None:
    """The checks above see the whole package (not an empty folder)."""
    assert {layer_of(m) for m in MODULES} >= {*ORDER, "build"}
    assert len(MODULES) > 40
