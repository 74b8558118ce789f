"""The shape of the code: layers without import cycles, no private names across modules."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "redline"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


MODULES = _modules()


def _target(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if MODULES[module].name != "__init__.py":
        package = package[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def _runtime_imports(module: str) -> set[str]:
    """Every redline module ``module`` imports when it runs, at any depth (``TYPE_CHECKING``
    blocks aside): a function-level import still makes a cycle when the function is called."""
    imported: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _target(module, node)
                imported.add(base)
                imported.update(f"{base}.{a.name}" for a in node.names)
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    visit([child])

    visit(ast.parse(MODULES[module].read_text("utf-8")).body)
    return {name for name in imported if name in MODULES and name != module}


def _cycles() -> list[list[str]]:
    graph = {module: _runtime_imports(module) for module in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return found


def test_no_import_cycles() -> None:
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path) -> None:
    graph_before = dict(MODULES)
    try:
        for name in ("a", "b"):
            path = tmp_path / f"{name}.py"
            other = "b" if name == "a" else "a"
            path.write_text(f"def f():\n    from redline.{other} import g\n", encoding="utf-8")
            MODULES[f"redline.{name}"] = path
        assert ["redline.a", "redline.b"] in _cycles()
    finally:
        MODULES.clear()
        MODULES.update(graph_before)


def _private_uses(path: Path) -> list[str]:
    """Private names of other modules that ``path`` reaches for."""
    tree = ast.parse(path.read_text("utf-8"))
    own = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
    }
    own |= {
        node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    own |= {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("redline"):
            problems += [
                f"{path.name}:{node.lineno}: imports {node.module}.{a.name}"
                for a in node.names
                if a.name.startswith("_") and not a.name.startswith("__")
            ]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr not in own
        ):
            problems.append(f"{path.name}:{node.lineno}: uses {ast.unparse(node)}")
    return problems


def test_no_module_reaches_for_another_modules_private_names() -> None:
    problems = [problem for path in MODULES.values() for problem in _private_uses(path)]
    assert problems == []


def test_the_private_name_check_catches_one(tmp_path: Path) -> None:
    path = tmp_path / "user.py"
    path.write_text(
        "from redline.engine import _hidden\n\ndef f(linter):\n    return linter._forced_config\n",
        encoding="utf-8",
    )
    assert _private_uses(path) == [
        "user.py:1: imports redline.engine._hidden",
        "user.py:4: uses linter._forced_config",
    ]
