"""The package's layout: no module imports a module that imports it back.

The import graph is read from the source (ast, nothing is imported): every `import extract.x`,
`from extract.x import y` and relative import (`from ..stages import rules`, `from .pdf import
read_pdf`) inside the package, at module level or inside a function or `if TYPE_CHECKING:` — a
lazy import is still a dependency.  A package's `__init__` is not counted as imported by its own
modules (Python runs it first, but the subpackages' `__init__` files hold only a docstring, which
the last test checks).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "extract"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules(root: Path = ROOT, package: str = PACKAGE) -> dict[str, Path]:
    """Dotted name → file, for every module of the package (subpackages included)."""
    return {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package's modules that the module `name` (at `path`) imports."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]  # the package relative imports start from
    found: set[str] = set()

    def resolve(dotted: str) -> None:
        # the longest prefix that is a module: `extract.stages.rules.metric_ids` → extract.stages.rules
        parts = dotted.split(".")
        for n in range(len(parts), 0, -1):
            candidate = ".".join(parts[:n])
            if candidate in modules:
                found.add(candidate)
                return

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE.split(".")[0]:
                    resolve(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                if len(base) != len(here) - node.level + 1:
                    raise AssertionError(f"{name}: relative import beyond the package")
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            if prefix.split(".")[0] != PACKAGE.split(".")[0]:
                continue
            for alias in node.names:  # `from . import x` or `from .pkg import module` imports a module
                if f"{prefix}.{alias.name}" in modules:
                    found.add(f"{prefix}.{alias.name}")
                else:
                    resolve(prefix)
    found.discard(name)
    return found


def import_graph(root: Path = ROOT, package: str = PACKAGE) -> dict[str, set[str]]:
    modules = package_modules(root, package)
    graph = {name: imports_of(name, path, set(modules)) for name, path in modules.items()}
    for name, deps in graph.items():  # a module's own package __init__ runs first; not a dependency to count
        deps -= {".".join(name.split(".")[:n]) for n in range(1, name.count(".") + 1)}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, …, a], or None (depth-first search, in name order)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_cycle_finder_on_small_graphs():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None  # a diamond is no cycle
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"b"}, "d": set()}) == ["b", "c", "b"]


def test_a_planted_cycle_is_found(tmp_path):
    """The graph reader sees absolute, relative, lazy and TYPE_CHECKING imports."""
    pkg = tmp_path / PACKAGE
    (pkg / "ingest").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "ingest" / "__init__.py").write_text('"""Readers."""\n')
    (pkg / "model.py").write_text("X = 1\n")
    (pkg / "ingest" / "dispatch.py").write_text("from . import pdf\nfrom ..model import X\n")
    (pkg / "ingest" / "pdf.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from extract.ingest.dispatch import Settings\n")
    graph = import_graph(tmp_path, PACKAGE)
    assert graph["extract.ingest.dispatch"] == {"extract.ingest.pdf", "extract.model"}
    assert graph["extract.ingest.pdf"] == {"extract.ingest.dispatch"}
    assert find_cycle(graph) == ["extract.ingest.dispatch", "extract.ingest.pdf", "extract.ingest.dispatch"]
    (pkg / "ingest" / "pdf.py").write_text("def read():\n    from .. import model\n    import extract.model\n")
    graph = import_graph(tmp_path, PACKAGE)
    assert graph["extract.ingest.pdf"] == {"extract.model"}
    assert find_cycle(graph) is None


def test_the_package_reads_its_own_imports():
    graph = import_graph()
    assert "extract.ingest.dispatch" in graph["extract.pipeline"]
    assert "extract.stages.normalize" in graph["extract.stages.segment"]


def test_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_subpackage_inits_hold_no_code():
    """So that importing one module of a subpackage never runs (and imports) its siblings."""
    for path in (ROOT / PACKAGE).rglob("__init__.py"):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        assert all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body), path
