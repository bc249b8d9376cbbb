"""Which catalogue entries (server/core/problems.py) a function can raise, read from the source.

Follows calls into server code: names called or passed to be called (`asyncio.to_thread(ingest, …)`,
`state.db.write(decide_review, …)`), through imports and package re-exports, `self.`/`cls.`
methods, class methods (`PhotoRejected.empty()`), and, for a method called on an object of unknown
type (`state.documents.owner_pdf(…)`), the methods of that name of the classes the module imports.
An over-approximation that may only miss what goes through a queue or a callback table."""

from __future__ import annotations

import ast
from pathlib import Path

from server.core import problems

SERVER = Path(__file__).resolve().parents[2] / "server"
ENTRIES = problems.entry_names()
_FUNCTION = (ast.FunctionDef, ast.AsyncFunctionDef)


class Module:
    def __init__(self, name: str, path: Path):
        self.name = name
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.functions: dict[str, list[ast.AST]] = {}
        self.classes = {n.name: n for n in ast.walk(self.tree) if isinstance(n, ast.ClassDef)}
        self.imports: dict[str, tuple[str, str | None]] = {}  # local name -> (module, name in it)
        for n in ast.walk(self.tree):
            if isinstance(n, _FUNCTION):
                self.functions.setdefault(n.name, []).append(n)
            elif isinstance(n, ast.ImportFrom) and n.module and n.module.split(".")[0] == "server":
                self.imports.update({a.asname or a.name: (n.module, a.name) for a in n.names})
            elif isinstance(n, ast.Import):
                self.imports.update({a.asname or a.name: (a.name, None) for a in n.names
                                     if a.name.split(".")[0] == "server"})


_MODULES: dict[str, Module | None] = {}


def module(name: str) -> Module | None:
    if name not in _MODULES:
        base = SERVER.parent.joinpath(*name.split("."))
        path = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
        _MODULES[name] = Module(name, path) if name.split(".")[0] == "server" and path.exists() else None
    return _MODULES[name]


def _functions(mod: Module | None, name: str, depth: int = 0) -> list[tuple[Module, ast.AST]]:
    """The defs `name` stands for in `mod`, following imports and re-exports."""
    if mod is None or depth > 6:
        return []
    if name in mod.functions:
        return [(mod, f) for f in mod.functions[name]]
    target, attr = mod.imports.get(name, (None, None))
    return _functions(module(target), attr, depth + 1) if target and attr else []


def _class(mod: Module | None, name: str, depth: int = 0) -> tuple[Module, ast.ClassDef] | None:
    if mod is None or depth > 6:
        return None
    if name in mod.classes:
        return mod, mod.classes[name]
    target, attr = mod.imports.get(name, (None, None))
    return _class(module(target), attr, depth + 1) if target and attr else None


def _methods(mod: Module, cls: ast.ClassDef, name: str) -> list[tuple[Module, ast.AST]]:
    return [(mod, f) for f in cls.body if isinstance(f, _FUNCTION) and f.name == name]


def _attribute_call(mod: Module, func: ast.Attribute) -> list[tuple[Module, ast.AST]]:
    owner = func.value
    if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
        return _functions(mod, func.attr)
    if isinstance(owner, ast.Name) and owner.id in mod.imports:
        target, attr = mod.imports[owner.id]
        as_module = module(f"{target}.{attr}" if attr else target)
        if as_module is not None:
            return _functions(as_module, func.attr)
        found = _class(module(target), attr)
        return _methods(*found, func.attr) if found else []
    if isinstance(owner, ast.Name) and owner.id in mod.classes:
        return _methods(mod, mod.classes[owner.id], func.attr)
    known = [(mod, c) for c in mod.classes.values()]
    known += [found for local in mod.imports if (found := _class(mod, local)) is not None]
    return [m for owner_mod, cls in known for m in _methods(owner_mod, cls, func.attr)]


def raised_by(mod: Module, fn: ast.AST, seen: set | None = None) -> set[str]:
    """Names of the entries `fn` can raise."""
    seen = set() if seen is None else seen
    if (mod.name, fn.lineno) in seen:
        return set()
    seen.add((mod.name, fn.lineno))
    catalogue_imported = mod.imports.get("problems") == ("server.core", "problems")
    found: set[str] = set()
    for n in ast.walk(fn):
        if (isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "problems"
                and catalogue_imported and n.attr in ENTRIES):
            found.add(n.attr)
        elif isinstance(n, ast.Name) and n.id in ENTRIES and mod.imports.get(n.id, ("",))[0] == "server.core.problems":
            found.add(n.id)
        elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            for m, f in _functions(mod, n.id):
                found |= raised_by(m, f, seen)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
            for m, f in _attribute_call(mod, n.func):
                found |= raised_by(m, f, seen)
    return found


def raised_by_handler(fn) -> set[str]:
    """Entries a route handler's function (`handler.fn`) can raise."""
    mod = module(fn.__module__)
    line = fn.__code__.co_firstlineno
    defs = [f for f in mod.functions.get(fn.__name__, [])
            if min([f.lineno, *(d.lineno for d in f.decorator_list)]) <= line <= f.lineno]
    assert len(defs) == 1, (fn.__module__, fn.__qualname__)
    return raised_by(mod, defs[0])
