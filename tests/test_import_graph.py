"""The import graph of the code keeps the design's layers (design.md, "Folders").

Every module under bot/, flows/ and storage/ is read with `ast` (nothing is imported), and every
import of one of those packages counts: at the top, inside a function body, and under
``if TYPE_CHECKING:`` (a type-only import still ties two modules together). The test fails on

(a) a cycle among the modules of bot/ (and of flows/ or storage/), named by its path;
(b) storage/ importing bot/ (storage is persistence only);
(c) flows/ importing bot/ or storage/ (flows stay pure);
(d) a module taking another module's private name (``from bot.x import _y`` or ``x._y``);
(e) an import inside a function body, the usual way to hide a cycle. Only the command line
    (bot/cli/) keeps such imports, to start quickly, and each says so in a comment.

The checks are plain functions over a list of imports, so the tests at the bottom feed them
small made-up graphs to prove each one can fail.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "flows", "storage")
# The command line imports its heavy parts (the web app, the screening model) inside each
# command, so that `checkin --help` and small commands start fast; nothing else may.
LAZY_ALLOWED = "bot.cli"
LAZY_REASON = "start-up"

Where = Literal["top", "function", "type_checking"]


@dataclass(frozen=True)
class Import:
    importer: str  # the module holding the import statement
    target: str  # the module it loads (a module of PACKAGES)
    where: Where
    line: int
    name: str | None = None  # the name taken by ``from target import name`` (or ``target.name``)
    attribute: bool = False  # ``target.name`` read through a module alias, not imported


@dataclass(frozen=True)
class Source:
    module: str
    path: Path
    is_package: bool


def _sources(root: Path = ROOT) -> dict[str, Source]:
    found: dict[str, Source] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            found[".".join(parts)] = Source(".".join(parts), path, is_package)
    return found


def _ours(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


class _Reader(ast.NodeVisitor):
    """Collects the imports of one module, each with where it happens."""

    def __init__(self, source: Source, modules: Mapping[str, Source]) -> None:
        self.source = source
        self.modules = modules
        self.imports: list[Import] = []
        self.where: Where = "top"
        # Local names bound to one of our modules (``from bot import runner``, ``import bot.x``).
        self.aliases: dict[str, str] = {}

    def _add(self, target: str, node: ast.stmt, name: str | None = None) -> None:
        self.imports.append(Import(self.source.module, target, self.where, node.lineno, name))

    def _base(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        package = self.source.module.split(".")
        if not self.source.is_package:
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        return ".".join([*package, *([node.module] if node.module else [])])

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not _ours(alias.name):
                continue
            self._add(alias.name, node)
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:  # ``import bot.x`` binds ``bot``; attribute reads resolve the full path
                head = alias.name.split(".")[0]
                self.aliases.setdefault(head, head)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._base(node)
        if not _ours(base):
            return
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if submodule in self.modules:
                self._add(submodule, node)
                self.aliases[alias.asname or alias.name] = submodule
                if _private(alias.name):  # a private module is private to its package
                    self._add(submodule, node, alias.name)
            else:
                self._add(base, node, alias.name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = _dotted(node.value)
        if dotted is not None and _private(node.attr):
            head, _, rest = dotted.partition(".")
            if head in self.aliases:
                target = ".".join([self.aliases[head], *([rest] if rest else [])])
                if target in self.modules:
                    self.imports.append(Import(self.source.module, target, self.where,
                                               node.lineno, node.attr, attribute=True))
        self.generic_visit(node)

    def _nested(self, where: Where, body: Iterable[ast.AST]) -> None:
        outer = self.where
        # A type-only import stays type-only; anything inside a function runs late.
        self.where = "function" if "function" in (outer, where) else where
        for child in body:
            self.visit(child)
        self.where = outer

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for deco in node.decorator_list:
            self.visit(deco)
        self._nested("function", node.body)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        for deco in node.decorator_list:
            self.visit(deco)
        self._nested("function", node.body)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._nested("function", [node.body])

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self._nested("type_checking", node.body)
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)


def read_imports(modules: Mapping[str, Source]) -> list[Import]:
    found: list[Import] = []
    for source in modules.values():
        reader = _Reader(source, modules)
        reader.visit(ast.parse(source.path.read_text(encoding="utf-8"), str(source.path)))
        found.extend(reader.imports)
    return found


# ---- the checks ------------------------------------------------------------------------------


def graph_of(imports: Iterable[Import], *, packages: tuple[str, ...] = PACKAGES) -> dict[
        str, set[str]]:
    """importer -> the modules it imports, between modules of ``packages`` only."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if imp.attribute or imp.importer == imp.target:
            continue
        if imp.importer.split(".")[0] in packages and imp.target.split(".")[0] in packages:
            graph.setdefault(imp.importer, set()).add(imp.target)
    return graph


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """One cycle per tangle (`tangles`), as a path that ends where it began (a -> b -> c -> a):
    the shortest way back to the tangle's first module."""
    edges = {node: sorted(set(targets)) for node, targets in graph.items()}
    return [_path_back(min(group), group, edges) for group in tangles(graph)]


def tangles(graph: Mapping[str, Iterable[str]]) -> list[set[str]]:
    """The groups of modules that import one another in a circle, directly or not (strongly
    connected components with more than one module, or a module importing itself), by Tarjan's
    algorithm."""
    edges = {node: sorted(set(targets)) for node, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def strong(node: str) -> None:  # recursion depth is bounded by the number of modules
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, []):
            if nxt not in index:
                strong(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in edges.get(node, []):
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            strong(node)
    return groups


def _path_back(start: str, group: set[str], edges: Mapping[str, list[str]]) -> list[str]:
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt in edges.get(node, []):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if nxt in group and nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"{start} is in a cycle with no way back")  # cannot happen


def layer_violations(imports: Iterable[Import]) -> list[str]:
    """storage must not import bot; flows must not import bot or storage."""
    forbidden = {"storage": {"bot"}, "flows": {"bot", "storage"}}
    found = []
    for imp in imports:
        layer, target = imp.importer.split(".")[0], imp.target.split(".")[0]
        if target in forbidden.get(layer, set()):
            found.append(f"{imp.importer}:{imp.line} imports {imp.target} ({imp.where})")
    return sorted(set(found))


def private_name_uses(imports: Iterable[Import], modules: Mapping[str, object]) -> list[str]:
    """A private name (``_y``) of one module used in another; a private submodule is for its
    own package."""
    found = []
    for imp in imports:
        if imp.name is None or not _private(imp.name) or imp.importer == imp.target:
            continue
        if f"{imp.target}.{imp.name}" in modules:
            if imp.importer == imp.target or imp.importer.startswith(imp.target + "."):
                continue
        how = f"{imp.target.rsplit('.', 1)[-1]}.{imp.name}" if imp.attribute else (
            f"from {imp.target} import {imp.name}")
        found.append(f"{imp.importer}:{imp.line} uses {how}")
    return sorted(set(found))


def function_body_imports(imports: Iterable[Import]) -> list[str]:
    found = []
    for imp in imports:
        if imp.attribute or imp.where != "function":
            continue
        if imp.importer == LAZY_ALLOWED or imp.importer.startswith(LAZY_ALLOWED + "."):
            continue
        found.append(f"{imp.importer}:{imp.line} imports {imp.target} inside a function")
    return sorted(set(found))


def unexplained_lazy_imports(modules: Mapping[str, Source]) -> list[str]:
    """A command-line import inside a function says why it is there: a comment naming
    start-up on its line or just above its group of imports (blank lines between imports of
    one group are part of it)."""
    found = []
    for source in modules.values():
        if not (source.module == LAZY_ALLOWED or source.module.startswith(LAZY_ALLOWED + ".")):
            continue
        lines = source.path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            spans = [(n.lineno, n.end_lineno or n.lineno) for n in ast.walk(function)
                     if isinstance(n, ast.Import | ast.ImportFrom)]
            covered = {line for start, end in spans for line in range(start, end + 1)}
            for start, end in spans:
                line = start - 1
                while line in covered or not lines[line - 1].strip():
                    line -= 1
                said = [lines[n - 1] for n in range(start, end + 1)] + [lines[line - 1]]
                if not any("#" in text and LAZY_REASON in text.lower() for text in said):
                    found.append(f"{source.module}:{start}")
    return found


# ---- the project -----------------------------------------------------------------------------


def _project() -> tuple[dict[str, Source], list[Import]]:
    modules = _sources()
    return modules, read_imports(modules)


def test_the_reader_sees_every_module_and_every_kind_of_import() -> None:
    modules, imports = _project()
    assert {"bot.runner", "flows.engine", "storage.models", "bot.cli"} <= set(modules)
    # The app context names its parts; the web app is built from the command line lazily.
    assert any(i.importer == "bot.app" and i.target == "bot.context" for i in imports)
    assert any(i.importer.startswith("bot.cli") and i.where == "function" for i in imports)


def test_no_cycle_among_the_modules_of_bot_flows_or_storage() -> None:
    _modules, imports = _project()
    found = []
    for package in PACKAGES:
        graph = graph_of(imports, packages=(package,))
        for cycle, group in zip(find_cycles(graph), tangles(graph), strict=True):
            found.append(" -> ".join(cycle) + f"\n    (all {len(group)} modules of this tangle: "
                         + ", ".join(sorted(group)) + ")")
    assert not found, "import cycles:\n" + "\n".join(found)


def test_storage_never_imports_bot_and_flows_import_neither() -> None:
    _modules, imports = _project()
    found = layer_violations(imports)
    assert not found, "layers crossed:\n" + "\n".join(found)


def test_no_module_takes_another_modules_private_names() -> None:
    modules, imports = _project()
    found = private_name_uses(imports, modules)
    assert not found, "private names used across modules:\n" + "\n".join(found)


def test_imports_inside_functions_only_in_the_command_line_and_each_says_why() -> None:
    modules, imports = _project()
    found = function_body_imports(imports)
    assert not found, "imports inside function bodies:\n" + "\n".join(found)
    unexplained = unexplained_lazy_imports(modules)
    assert not unexplained, ("command-line imports inside functions without a comment saying "
                             "they are there for start-up time:\n" + "\n".join(unexplained))


# ---- each check can fail ---------------------------------------------------------------------


def _imp(importer: str, target: str, where: Where = "top", name: str | None = None,
         *, attribute: bool = False) -> Import:
    return Import(importer, target, where, 1, name, attribute)


def test_a_cycle_is_found_and_named_by_its_path_whatever_kind_of_import_closes_it() -> None:
    imports = [
        _imp("bot.a", "bot.b"),
        _imp("bot.b", "bot.c", "function"),
        _imp("bot.c", "bot.a", "type_checking"),
        _imp("bot.c", "bot.d"),
        _imp("bot.d", "flows.x"),
        _imp("bot.e", "bot.e"),  # a module naming itself is no cycle
    ]
    assert find_cycles(graph_of(imports)) == [["bot.a", "bot.b", "bot.c", "bot.a"]]
    assert find_cycles(graph_of(imports[:2] + imports[3:])) == []


def test_two_separate_cycles_are_both_reported() -> None:
    graph = {"bot.a": {"bot.b"}, "bot.b": {"bot.a"}, "bot.x": {"bot.y"}, "bot.y": {"bot.z"},
             "bot.z": {"bot.x", "bot.a"}}
    assert sorted(find_cycles(graph)) == [["bot.a", "bot.b", "bot.a"],
                                          ["bot.x", "bot.y", "bot.z", "bot.x"]]


def test_a_layer_violation_is_found() -> None:
    imports = [
        _imp("storage.queries.people", "bot.settings", "type_checking"),
        _imp("flows.engine", "storage.models"),
        _imp("flows.engine", "flows.model"),
        _imp("bot.runner", "storage.models"),
    ]
    assert layer_violations(imports) == [
        "flows.engine:1 imports storage.models (top)",
        "storage.queries.people:1 imports bot.settings (type_checking)",
    ]


def test_a_private_name_taken_from_another_module_is_found() -> None:
    modules = {"bot.runner": 0, "bot.reply_turn": 0, "bot.channels": 0,
               "bot.channels._shared": 0}
    imports = [
        _imp("bot.reply_turn", "bot.runner", name="_apply"),
        _imp("bot.bulk", "bot.runner", name="_queue", attribute=True),
        _imp("bot.reply_turn", "bot.runner", name="start_checkin"),
        _imp("bot.reply_turn", "bot.runner", name="__all__"),
        _imp("bot.channels.twilio", "bot.channels", name="_shared"),  # its own package's
        _imp("bot.app", "bot.channels", name="_shared"),
    ]
    assert private_name_uses(imports, modules) == [
        "bot.app:1 uses from bot.channels import _shared",
        "bot.bulk:1 uses runner._queue",
        "bot.reply_turn:1 uses from bot.runner import _apply",
    ]


def test_a_function_body_import_outside_the_command_line_is_found() -> None:
    imports = [
        _imp("bot.signals", "bot.policy", "function"),
        _imp("bot.cli.serve_cmd", "bot.app", "function"),
        _imp("bot.signals", "bot.texts"),
    ]
    assert function_body_imports(imports) == [
        "bot.signals:1 imports bot.policy inside a function"]


def test_the_reader_classifies_imports_by_where_they_run(tmp_path: Path) -> None:
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "__init__.py").write_text("")
    (tmp_path / "bot" / "x.py").write_text("def _y() -> None: ...\n")
    (tmp_path / "bot" / "m.py").write_text(
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "import json\n"
        "from bot import x\n"
        "from . import x as again\n"
        "if TYPE_CHECKING:\n"
        "    from bot.x import Thing\n"
        "def f() -> None:\n"
        "    from bot.x import _y\n"
        "    x._y()\n"
    )
    modules = {s.module: s for s in (Source("bot", tmp_path / "bot" / "__init__.py", True),
                                     Source("bot.x", tmp_path / "bot" / "x.py", False),
                                     Source("bot.m", tmp_path / "bot" / "m.py", False))}
    found = {(i.target, i.where, i.name, i.attribute) for i in read_imports(modules)}
    assert found == {
        ("bot.x", "top", None, False),
        ("bot.x", "type_checking", "Thing", False),
        ("bot.x", "function", "_y", False),
        ("bot.x", "function", "_y", True),
    }


def test_an_unexplained_command_line_import_is_found(tmp_path: Path) -> None:
    (tmp_path / "bot" / "cli").mkdir(parents=True)
    path = tmp_path / "bot" / "cli" / "thing_cmd.py"
    path.write_text(
        "def fast() -> None:\n"
        "    # Imported here for start-up time: most commands never need it.\n"
        "    from bot.app import create_app\n"
        "\n"
        "    from bot.settings import (\n"
        "        Settings,\n"
        "    )\n"
        "def slow() -> None:\n"
        "    x = 1\n"
        "    from bot.app import create_app\n"
    )
    modules = {"bot.cli.thing_cmd": Source("bot.cli.thing_cmd", path, False)}
    assert unexplained_lazy_imports(modules) == ["bot.cli.thing_cmd:10"]


def _walk(graph: Mapping[str, Iterable[str]]) -> Iterator[tuple[str, str]]:
    return ((a, b) for a, targets in graph.items() for b in targets)


def test_the_graph_keeps_only_edges_between_the_named_packages() -> None:
    imports = [_imp("bot.a", "flows.x"), _imp("bot.a", "bot.b"),
               _imp("bot.a", "bot.c", name="_z", attribute=True)]
    assert set(_walk(graph_of(imports, packages=("bot",)))) == {("bot.a", "bot.b")}
