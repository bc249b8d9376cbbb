"""Mutation check of server/users/access.py: do the tests notice when a visibility rule is wrong?

Each mutant changes one operator or constant in code (not in docstrings or comments). By default
each mutant is loaded in process and checked against the access matrix (tests/api/access_matrix.py)
over one database built once through the API: seconds for all mutants. With --suite, each mutant
is written into a copy of the tree and the end-to-end tests that speak for its function run with
-x (minutes per mutant). A mutant is killed when the check fails. Run from the repository root:

    .venv/bin/python tests/mutate_access.py [--suite [--tests FILE ...]] [--only N]

The working tree is never changed.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path("server/users/access.py")
ACCESS = ["tests/api/test_access.py", "tests/office/test_isolation.py"]
EVENTS = ["tests/office/test_disasters.py", "tests/office/test_disaster_edit.py"]
CONTRACTS = ["tests/office/test_admin_contracts.py", "tests/documents/test_report_downloads.py"]
# The tests that speak for each function (a mutant elsewhere in the file runs them all)
TESTS = {
    "event_condition": EVENTS, "event_edit_condition": EVENTS, "contract_condition": CONTRACTS,
    "visible_statuses": ACCESS + CONTRACTS, "covering_owner": ["tests/documents/test_report_downloads.py",
                                                               "tests/office/test_mail.py"],
}
ALL = ACCESS + EVENTS + CONTRACTS + ["tests/office/test_mail.py", "tests/office/test_office_work.py"]

# (what, replacement): each occurrence in code is one mutant
OPERATORS = [
    (">=", ">"), ("<=", "<"), (" = ?", " <> ?"), ("==", "!="), ("!=", "=="), (" not in ", " in "),
    (" IN (", " NOT IN ("), ("IS NULL", "IS NOT NULL"), (" AND ", " OR "), (" OR ", " AND "),
    ("'approved'", "'submitted'"), ("'survey'", "'watch'"), ("'disaster'", "'survey'"), ("'watch'", "'survey'"),
    ("+9 hours", "+0 hours"), ('return "1"', 'return "0"'), ('return "0"', 'return "1"'), (" DESC", " ASC"),
    ("ws.owner_id = ?", "ws.property_id = ?"), ("ws.id = ?", "ws.owner_id = ?"), ("created_by IN", "id IN"),
    ('"owner"', '"office"'), ('"municipality"', '"carrier"'), ("user.office_code", "user.municipality_code"),
    ("user.owner_id", "user.id"), ("start_date", "created_at"), ("end_date", "start_date"),
]


def code_lines(source: str) -> set[int]:
    """Line numbers (1-based) that hold code, not docstrings or comments."""
    tree = ast.parse(source)
    doc = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                doc.update(range(first.lineno, first.end_lineno + 1))
    lines = source.splitlines()
    return {n for n in range(1, len(lines) + 1)
            if n not in doc and lines[n - 1].strip() and not lines[n - 1].lstrip().startswith(("#", "from ", "import "))}


def functions(source: str) -> dict[int, str]:
    """Line number -> name of the function it belongs to."""
    owner = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            owner.update({n: node.name for n in range(node.lineno, node.end_lineno + 1)})
    return owner


def mutants(source: str):
    lines = source.splitlines(keepends=True)
    owner = functions(source)
    for n in sorted(code_lines(source)):
        line = lines[n - 1]
        for old, new in OPERATORS:
            start = 0
            while (at := line.find(old, start)) >= 0:
                changed = line[:at] + new + line[at + len(old):]
                mutated = "".join(lines[:n - 1] + [changed] + lines[n:])
                try:
                    compile(mutated, str(TARGET), "exec")
                except SyntaxError:
                    pass
                else:
                    yield n, owner.get(n, ""), f"{old.strip()} -> {new.strip()}", mutated
                start = at + len(old)


def run_tests(tree: Path, tests: list[str], timeout: int) -> bool:
    """True when the tests fail (the mutant is killed)."""
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--tb=no", *tests],
                              cwd=tree, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return True
    return done.returncode != 0


def matrix_check(found) -> list[tuple[int, str, str]]:
    """Each mutant in process against the access matrix; returns the survivors."""
    sys.path.insert(0, str(ROOT))
    from tests.api import access_matrix

    survivors = []
    with tempfile.TemporaryDirectory(prefix="akiya-mutants-") as tmp:
        built = access_matrix.build(Path(tmp))
        for k, (line, function, what, mutated) in enumerate(found, start=1):
            module = types.ModuleType("access_mutant")
            try:
                exec(compile(mutated, str(TARGET), "exec"), module.__dict__)
                killed = bool(access_matrix.failures(module, built))
            except Exception:  # a mutant that breaks the SQL or the code is caught too
                killed = True
            print(f"[{k}/{len(found)}] line {line} ({function}): {what}: {'killed' if killed else 'SURVIVED'}")
            if not killed:
                survivors.append((line, function, what))
    return survivors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="store_true", help="run the end-to-end tests for each mutant (slow)")
    parser.add_argument("--tests", nargs="*", help="with --suite: run these for every mutant "
                                                   "(default: the function's own tests)")
    parser.add_argument("--skip-baseline", action="store_true", help="do not first check that the tests pass")
    parser.add_argument("--only", type=int, help="run only the first N mutants")
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()
    source = (ROOT / TARGET).read_text()
    found = list(mutants(source))[: args.only]
    if not args.suite:
        return report(found, matrix_check(found))
    with tempfile.TemporaryDirectory(prefix="akiya-mutants-") as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "data", "*.sqlite3*"))
        if not args.skip_baseline and run_tests(tree, args.tests or ALL, args.timeout):
            print("the tests fail without any mutant: fix them first", file=sys.stderr)
            return 2
        survivors = []
        for k, (line, function, what, mutated) in enumerate(found, start=1):
            (tree / TARGET).write_text(mutated)
            began = time.monotonic()
            tests = args.tests or TESTS.get(function, ACCESS if function else ALL)
            killed = run_tests(tree, tests, args.timeout)
            print(f"[{k}/{len(found)}] line {line} ({function}): {what}: {'killed' if killed else 'SURVIVED'} "
                  f"({time.monotonic() - began:.0f} s)", flush=True)
            if not killed:
                survivors.append((line, function, what))
        (tree / TARGET).write_text(source)
    return report(found, survivors)


def report(found, survivors) -> int:
    killed = len(found) - len(survivors)
    print(f"\n{killed}/{len(found)} mutants killed ({100 * killed / max(len(found), 1):.0f}%)")
    for line, function, what in survivors:
        print(f"  survived: line {line} ({function}): {what}")
    return 0 if not survivors else 1


if __name__ == "__main__":
    sys.exit(main())
