"""The import structure: no cycles among cloneshell's modules, counting imports made inside
functions (deferred imports) as the edges they are; the deferred imports that remain are a
short list, each there for start-up speed (a module loaded only when its feature is used)."""

from __future__ import annotations

import ast
from pathlib import Path

import cloneshell.engine as engine_package

ROOT = Path(engine_package.__file__).parent.parent
PACKAGES = ("grammar", "engine", "shell", "server")

# (module, imported module): each is deferred so that a run without the feature never loads it.
ALLOWED_DEFERRED = {
    # the facade loads the engine on first use (`cloneshell --help` never loads DuckDB)
    ("engine", "engine.core.dialects"),
    ("engine", "engine.core.duck"),
    ("engine", "engine.core.session"),
    # share_files (the server's shared database) loads the warehouse when the server starts
    ("engine", "engine.core.warehouse"),
    ("engine", "grammar.errors"),
    # script batching, only for -f / piped scripts
    ("engine.core.session", "engine.core.batching"),
    # the CLI loads only the mode it runs: a batch run never loads the REPL, recording or
    # settings; the engine and the parser warm up on a thread while the terminal starts
    ("shell.main", "engine"),
    ("shell.main", "grammar.parser"),
    ("shell.main", "grammar.split"),
    ("shell.main", "shell.batch"),
    ("shell.main", "shell.record"),
    ("shell.main", "shell.repl"),
    ("shell.main", "shell.settings"),
    # --help's text names the settings file: settings is loaded when the text is made, which
    # keeps config -> topics -> settings -> config from being a cycle at import time
    ("shell.topics", "shell.settings"),
    # the REPL shows its prompt before loading completion, highlighting and styles
    ("shell.repl", "grammar.parser"),
    ("shell.repl", "shell.completer"),
    ("shell.repl", "shell.lexer"),
    ("shell.repl", "shell.style"),
    # help pages and the destructive-statement rule load when first asked for
    ("shell.dialect", "shell.destructive"),
    ("shell.dialect", "shell.help.maxcompute"),
    ("shell.dialect", "shell.help.snowflake"),
    # `cloneshell serve` loads the HTTP stack (the [server] extra) and the engine only when run
    ("server.cli", "server.app"),
    ("server.cli", "server.sessions"),
    ("server.sessions", "engine"),
    ("server.snowflake", "engine"),
    ("server.snowflake", "grammar.ast"),
}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for f in (ROOT / package).rglob("*.py"):
            parts = list(f.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = f
    return found


def _imports(modules: dict[str, Path]) -> tuple[dict[str, set[str]], set[tuple[str, str]]]:
    """Every module's imports of cloneshell modules (TYPE_CHECKING blocks aside), and which
    of them are made inside a function."""
    edges: dict[str, set[str]] = {m: set() for m in modules}
    deferred: set[tuple[str, str]] = set()
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        skip = {
            id(n)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for n in ast.walk(block)
        }
        inside = {
            id(n)
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            for n in ast.walk(fn)
        }
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cloneshell"):
                base = (node.module or "").removeprefix("cloneshell.")
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in modules else base)
            elif isinstance(node, ast.Import):
                targets += [
                    a.name.removeprefix("cloneshell.")
                    for a in node.names
                    if a.name.startswith("cloneshell.")
                ]
            for target in targets:
                if target in modules and target != name:
                    edges[name].add(target)
                    if id(node) in inside:
                        deferred.add((name, target))
    return edges, deferred


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    edges, _ = _imports(_modules())
    assert _cycles(edges) == []


def test_deferred_imports_are_the_commented_few() -> None:
    _, deferred = _imports(_modules())
    assert deferred <= ALLOWED_DEFERRED, sorted(deferred - ALLOWED_DEFERRED)


def test_the_scan_sees_a_cycle_when_there_is_one() -> None:
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
