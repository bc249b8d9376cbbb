"""Mutation check of one module against its own tests: does a small mistake in the code make a test fail?

Each mutant changes one site of the module's syntax tree: a comparison (< and <=, > and >=, == and
!=, in and not in, is and is not), a boolean operator (and, or), a `not` removed, True and False, a
small integer constant n to n + 1, + and -. Mutants are drawn at random sites (a fixed seed, so a
run can be repeated) and run in this one process: the mutated module is compiled, and the code of
each of its functions and methods is swapped into the functions already loaded (so every import of
them, in the server and in the tests, runs the mutant); then the module's tests run with -x on
SQLite. A mutant is killed when a test fails (or errors, or runs past --timeout). Tests that start
`akiya serve` in another process would not see the mutant: name in-process tests only.

    .venv/bin/python tests/mutate.py server/photos/evidence.py tests/photos/test_evidence.py [--max 40]

Prints each mutant and the figure "killed K of N (P %)"; exit 1 below --require (default 90 %).
The working tree is never changed.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import random
import signal
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
         ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.And: ast.Or, ast.Or: ast.And,
         ast.Add: ast.Sub, ast.Sub: ast.Add}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sites(tree: ast.AST) -> list[tuple[ast.AST, int, str]]:
    """(node, index within the node, what changes) for every place a mutant can be made."""
    docs, found = _docstrings(tree), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            found += [(node, k, f"{type(op).__name__} -> {SWAPS[type(op)].__name__}")
                      for k, op in enumerate(node.ops) if type(op) in SWAPS]
        elif isinstance(node, ast.BoolOp):
            found.append((node, 0, f"{type(node.op).__name__} -> {SWAPS[type(node.op)].__name__}"))
        elif isinstance(node, ast.BinOp) and type(node.op) in SWAPS:
            found.append((node, 0, f"{type(node.op).__name__} -> {SWAPS[type(node.op)].__name__}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append((node, 0, "not removed"))
        elif isinstance(node, ast.Constant) and id(node) not in docs:
            if isinstance(node.value, bool):
                found.append((node, 0, f"{node.value} -> {not node.value}"))
            elif isinstance(node.value, int) and abs(node.value) <= 1000:
                found.append((node, 0, f"{node.value} -> {node.value + 1}"))
    return found


class _Unnot(ast.NodeTransformer):
    def __init__(self, target):
        self.target = target

    def visit_UnaryOp(self, node):
        return node.operand if node is self.target else self.generic_visit(node)


def mutated_tree(source: str, number: int) -> tuple[ast.AST, int, str]:
    """A fresh tree of the module with mutant `number` (an index into sites()) applied."""
    tree = ast.parse(source)
    node, k, what = sites(tree)[number]
    if isinstance(node, ast.Compare):
        node.ops[k] = SWAPS[type(node.ops[k])]()
    elif isinstance(node, (ast.BoolOp, ast.BinOp)):
        node.op = SWAPS[type(node.op)]()
    elif isinstance(node, ast.UnaryOp):
        tree = _Unnot(node).visit(tree)
    elif isinstance(node.value, bool):
        node.value = not node.value
    else:
        node.value += 1
    return ast.fix_missing_locations(tree), node.lineno, what


def _functions(namespace: dict, module_name: str):
    """(holder, name, function) for every function and method the module defines."""
    for name, value in namespace.items():
        if isinstance(value, types.FunctionType) and value.__module__ == module_name:
            yield namespace, name, value
        elif isinstance(value, type) and value.__module__ == module_name:
            for attr, member in vars(value).items():
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if isinstance(member, types.FunctionType):
                    yield value, attr, member


class Swap:
    """The mutant's code inside the module's already-loaded functions (and its changed constants), undone on exit."""

    def __init__(self, module: types.ModuleType, tree: ast.AST):
        self.module, self.tree, self.undo = module, tree, []

    def __enter__(self):
        scratch = {"__name__": self.module.__name__, "__package__": self.module.__package__,
                   "__file__": self.module.__file__}
        exec(compile(self.tree, self.module.__file__, "exec"), scratch)
        loaded = {(id(holder) if holder is not vars(self.module) else 0, name): fn
                  for holder, name, fn in _functions(vars(self.module), self.module.__name__)}
        for holder, name, fn in _functions(scratch, self.module.__name__):
            key = (0 if holder is scratch else id(getattr(self.module, holder.__name__, None)), name)
            original = loaded.get(key)
            if original is not None and original.__code__.co_freevars == fn.__code__.co_freevars:
                self.undo.append((original, original.__code__, original.__defaults__, original.__kwdefaults__))
                original.__code__, original.__defaults__, original.__kwdefaults__ = \
                    fn.__code__, fn.__defaults__, fn.__kwdefaults__
        for name, value in scratch.items():
            if isinstance(value, (int, float, str, bool, tuple, frozenset)) and not name.startswith("__") \
                    and getattr(self.module, name, None) != value:
                self.undo.append((name, getattr(self.module, name)))
                setattr(self.module, name, value)
        return self

    def __exit__(self, *exc):
        for entry in reversed(self.undo):
            if len(entry) == 4:
                fn, code, defaults, kwdefaults = entry
                fn.__code__, fn.__defaults__, fn.__kwdefaults__ = code, defaults, kwdefaults
            else:
                setattr(self.module, *entry)


class _TimedOut(Exception):
    pass


def tests_fail(tests: list[str], timeout: int) -> bool:
    import pytest

    def expire(*_):
        raise _TimedOut()

    signal.signal(signal.SIGALRM, expire)
    signal.alarm(timeout)
    try:
        code = pytest.main(["-x", "-q", "--tb=no", "--no-header", "-p", "no:cacheprovider",
                            "-W", "ignore", *tests])
    except _TimedOut:
        return True
    finally:
        signal.alarm(0)
    return code != 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", help="e.g. server/photos/evidence.py")
    parser.add_argument("tests", nargs="+", help="the module's own (in-process) test files")
    parser.add_argument("--max", type=int, default=40, help="mutants drawn at random sites (0: every site)")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per mutant")
    parser.add_argument("--require", type=float, default=90.0, help="percent killed below which the exit code is 1")
    args = parser.parse_args()
    os.environ["AKIYA_TEST_DB"] = "sqlite"
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    path = Path(args.module)
    module = importlib.import_module(".".join(path.with_suffix("").parts))
    source = path.read_text(encoding="utf-8")
    count = len(sites(ast.parse(source)))
    chosen = sorted(random.Random(args.seed).sample(range(count), min(args.max or count, count)))
    if tests_fail(args.tests, args.timeout):
        print("the tests fail without any mutant: fix them first", file=sys.stderr)
        return 2
    survivors, began = [], time.monotonic()
    for k, number in enumerate(chosen, start=1):
        tree, line, what = mutated_tree(source, number)
        try:
            with Swap(module, tree):
                killed = tests_fail(args.tests, args.timeout)
        except Exception as exc:  # the mutant cannot even be loaded: counted as killed, said so
            killed, what = True, f"{what} (does not load: {exc!r:.60})"
        print(f"[{k}/{len(chosen)}] {path}:{line}: {what}: {'killed' if killed else 'SURVIVED'}", flush=True)
        if not killed:
            survivors.append(f"{path}:{line}: {what}")
    killed = len(chosen) - len(survivors)
    share = 100.0 * killed / len(chosen) if chosen else 100.0
    print(f"\n{path}: killed {killed} of {len(chosen)} mutants ({share:.0f} %) drawn from {count} sites, seed "
          f"{args.seed}, {time.monotonic() - began:.0f} s")
    for survivor in survivors:
        print(f"  survived: {survivor}")
    return 0 if share >= args.require else 1


if __name__ == "__main__":
    sys.exit(main())
