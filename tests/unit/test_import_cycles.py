"""No import cycles under src/essaytui, nor among the benchmark's scripts in bench/
(design §9).

The graph is read from the source with `ast`: every `import` and `from … import`
anywhere in a module (at its top, inside a function, under ``if TYPE_CHECKING:``)
is an edge to the module it names; a name imported from a package is an edge to the
submodule of that name when there is one. That importing a submodule also runs its
package's ``__init__`` is not an edge: a package whose ``__init__`` imports its own
modules would otherwise be a cycle with each of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

#: module → {module it imports: line of the first such import}
Graph = dict[str, dict[str, int]]

SRC = Path(__file__).resolve().parents[2] / "src" / "essaytui"
#: Sibling scripts, not a package: each imports the others by their file's name.
BENCH = Path(__file__).resolve().parents[2] / "bench"

#: The imports that close the cycles known outside `model/`, allowed while the UI's
#: owners change those files; the lead removes each entry once its cycle is broken
#: (`test_every_allowed_import_still_closes_a_cycle` fails when one no longer does).
#: Nothing under model/ or store/ may be listed here.
ALLOWED_CYCLE_IMPORTS: frozenset[tuple[str, str]] = frozenset()


def module_names(root: Path) -> dict[str, Path]:
    """Every module under the package at `root`, by dotted name."""
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def script_names(folder: Path) -> dict[str, Path]:
    """Every script in `folder` by the name its siblings import it by (`sys.path` holds
    the folder, as bench/'s scripts arrange)."""
    return {path.stem: path for path in sorted(folder.glob("*.py"))}


def imported_modules(module: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """`(module, line)` of every module of `modules` that `module` imports, wherever.

    ``from pkg import name`` imports the submodule ``pkg.name`` when there is one,
    else `pkg`; ``import a.b`` imports `a.b`. Relative imports are resolved.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.append((submodule if submodule in modules else base, node.lineno))
    return [(name, line) for name, line in found if name in modules and name != module]


def import_graph(root: Path, modules: dict[str, Path] | None = None) -> Graph:
    """The import graph of the package at `root` (only edges between its modules), or
    of `modules` when given."""
    if modules is None:
        modules = module_names(root)
    graph: Graph = {name: {} for name in modules}
    for module, path in modules.items():
        for name, line in imported_modules(module, path, modules):
            graph[module].setdefault(name, line)
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def without(graph: Graph, edges: frozenset[tuple[str, str]]) -> Graph:
    """`graph` less `edges`."""
    return {
        module: {target: line for target, line in targets.items() if (module, target) not in edges}
        for module, targets in graph.items()
    }


def reaches(graph: Graph, start: str, goal: str) -> bool:
    """Whether a path of imports leads from `start` to `goal`."""
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for target in graph.get(node, {}):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return False


def describe(graph: Graph, component: list[str]) -> str:
    """A cycle's modules and the imports between them, with their lines."""
    members = set(component)
    edges = [
        f"    {module}:{line} imports {target}"
        for module in component
        for target, line in graph[module].items()
        if target in members
    ]
    return "cycle of " + ", ".join(component) + ":\n" + "\n".join(edges)


# -- the package -------------------------------------------------------------------------


def test_the_graph_holds_imports_of_every_kind() -> None:
    graph = import_graph(SRC)
    assert "essaytui.model.parse.chunks" in graph
    # at module level, from a package's __init__, and a submodule named in a `from`
    assert "essaytui.model.parse" in graph["essaytui.model.files"]
    assert "essaytui.model.parse.chunks" in graph["essaytui.model.parse"]
    assert "essaytui.model.identity" in graph["essaytui.store.identity"]
    # inside a function (the command line imports the app only when it runs it)
    assert "essaytui.app" in graph["essaytui.cli.reader"]
    # under TYPE_CHECKING
    assert "essaytui.screens.reader" in graph["essaytui.commands"]


def test_no_import_cycles() -> None:
    graph = without(import_graph(SRC), ALLOWED_CYCLE_IMPORTS)
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(describe(graph, c) for c in found)


def test_no_import_cycles_among_the_bench_scripts() -> None:
    graph = import_graph(BENCH, script_names(BENCH))
    # the scripts import each other: the graph sees those imports
    assert "harness" in graph["terminal"]
    assert "terminal" in graph["terminal_profile"]
    assert "terminal" in graph["run"]
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(describe(graph, c) for c in found)


def test_the_model_and_the_store_are_allowed_no_cycle() -> None:
    for module, target in ALLOWED_CYCLE_IMPORTS:
        for name in (module, target):
            assert not name.startswith(("essaytui.model", "essaytui.store")), name


def test_every_allowed_import_still_closes_a_cycle() -> None:
    graph = import_graph(SRC)
    for module, target in sorted(ALLOWED_CYCLE_IMPORTS):
        assert target in graph.get(module, {}), f"{module} no longer imports {target}: remove it"
        assert reaches(graph, target, module), (
            f"{module} → {target} closes no cycle any more: remove it from ALLOWED_CYCLE_IMPORTS"
        )


# -- the reading of a package ------------------------------------------------------------


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pkg"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import thing\n",
            "b.py": "thing = 1\n\ndef later():\n    from pkg import a\n    return a\n",
            "c.py": "import pkg.a\n",
        },
    )
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b"]]


def test_a_cycle_under_type_checking_or_relative_is_found(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "sub/__init__.py": "from .x import X\n",
            "sub/x.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from ..y import Y\n"
                "X = 1\n"
            ),
            "y.py": "from pkg.sub import X\nY = 2\n",
        },
    )
    assert cycles(import_graph(package)) == [["pkg.sub", "pkg.sub.x", "pkg.y"]]


def test_a_cycle_between_sibling_scripts_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "main.py").write_text("import helper\n", encoding="utf-8")
    (folder / "helper.py").write_text("def later():\n    import main\n", encoding="utf-8")
    (folder / "other.py").write_text("import os\nimport helper\n", encoding="utf-8")
    assert cycles(import_graph(folder, script_names(folder))) == [["helper", "main"]]


def test_a_package_importing_its_own_modules_is_no_cycle(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "sub/__init__.py": "from pkg.sub.a import A\nfrom pkg.sub import b\n",
            "sub/a.py": "from pkg.sub import b\nA = b.B\n",
            "sub/b.py": "B = 1\n",
        },
    )
    graph = import_graph(package)
    assert graph["pkg.sub.a"] == {"pkg.sub.b": 1}
    assert cycles(graph) == []
