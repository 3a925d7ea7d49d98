"""The house: `core` is the ground every app stands on and imports none of them; the demo province sits in its
own app at the top, and each app's demo data sits next to the app."""
import ast
from pathlib import Path

import motcua

SRC = Path(motcua.__file__).parent


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def test_core_imports_no_app_above_it():
    above = sorted({(str(p.relative_to(SRC)), m) for p in (SRC / "core").rglob("*.py") for m in _imports(p)
                    if m.startswith("motcua.") and not m.startswith("motcua.core")})
    assert above == []


def test_only_the_demo_app_holds_the_seed_and_demo_commands():
    commands = {p.stem: str(p.relative_to(SRC)) for p in SRC.rglob("management/commands/*.py")}
    assert commands["seed"] == "demo/management/commands/seed.py"
    assert commands["demo"] == "demo/management/commands/demo.py"


def test_each_apps_demo_data_is_found_next_to_the_app():
    from motcua.demo.hooks import app_seeders
    labels = [label for label, _fn in app_seeders()]
    assert "catalog" in labels
    # no app below the demo app imports it
    users = sorted({str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if not str(p.relative_to(SRC)).startswith("demo/")
                    and any(m.startswith("motcua.demo") for m in _imports(p))})
    assert users == []


def _module_graph(package):
    """Module -> set of sibling modules it imports, at module level or inside a function."""
    graph = {}
    for path in (SRC / package).glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1 and node.module:
                    deps.add(node.module.split(".")[0])
                elif node.level == 1:
                    deps.update(a.name for a in node.names)
                elif node.module and node.module.startswith(f"motcua.{package}."):
                    deps.add(node.module.split(".")[2])
        graph[path.stem] = deps
    return graph


def _cycles(graph):
    found, state = [], {}

    def visit(node, stack):
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                found.append(stack[stack.index(dep):] + [dep])
            elif dep in graph and not state.get(dep):
                visit(dep, stack + [dep])
        state[node] = 2
    for node in sorted(graph):
        if not state.get(node):
            visit(node, [node])
    return found


def test_signing_modules_import_each_other_without_a_circle():
    graph = _module_graph("signing")
    assert _cycles(graph) == []
    # what keys, csc and pdf share lives in one small module they all import
    assert {"common"} <= graph["keys"] and {"common"} <= graph["csc"] and {"common"} <= graph["pdf"]
    assert "keys" not in graph["csc"] and "pdf" not in graph["keys"]
