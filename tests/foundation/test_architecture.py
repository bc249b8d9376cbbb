"""ARCHITECTURE.md stays true: every path it names exists, one inspection's path from the phone to the
owner's PDF is a numbered list of at most ten files, and the code keeps the map's rules, read from the
source (an AST scan of server/ and reports/): no import from a lower layer to a higher one, no import
cycle between modules, SQL only in its named homes, the inspections table read only where the map says."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
PATH_LIKE = re.compile(r"`([\w./-]+/[\w./-]*|[\w-]+\.(?:py|js|md|toml|json))`")

# The server's layers, top to bottom (ARCHITECTURE.md, "Layers of the server"): a module may import its
# own layer and the ones below it. `reports` is beside them all: a pure renderer that imports no server code.
LAYERS = [
    ("assembly and operations", ("server.app", "server.ops")),
    ("routes and pages", ("server.http", "server.office", "server.landing", "*.routes")),
    ("concepts", ("server",)),  # every other package of server/: users, inspections, photos, sync, ...
    ("core", ("server.core",)),
    ("database and blob store", ("server.db", "server.storage")),
    ("observation", ("server.observe",)),  # metrics and log lines: anything may count into them
]

# Where SQL may be written, each with its reason. Everything else (routes, pages, plumbing, core that is
# not a record of its own, reports/) asks one of these.
SQL_HOMES = {
    "server/*/queries.py": "a concept's owner module: its table's records, reads and writes",
    "server/db/": "the one door: connections, transactions, migrations, the PostgreSQL translation",
    "server/inspections/approved.py": "approved visits as documents read them (the inspections table's owner)",
    "server/inspections/lists.py": "visits as lists for a page or a phone (the inspections table's owner)",
    "server/inspections/status.py": "the only code that changes an inspection's status",
    "server/users/access.py": "every visibility condition, as SQL the queries embed",
    "server/core/audit.py": "the audit log, written in the caller's transaction",
    "server/core/changes.py": "the change log the phones pull from",
    "server/core/leases.py": "the leases table: work one process does at a time",
    "server/auth/limits.py": "failed sign-ins counted in the database, shared by every process",
    "server/auth/tokens.py": "bearer tokens, stored as hashes",
    "server/auth/sign_in_links.py": "owners' one-time sign-in links, stored as hashes, and their mail state",
    "server/auth/devices.py": "devices trusted after a sign-in (login_devices), stored as hashes",
    "server/photos/reuse.py": "the photo reuse lookup over the indexed parts of the hashes",
    "server/contracts/candidates.py": "reported houses awaiting the office's decision",
    "server/subscriptions/owner_logins.py": "owners' logins issued by the post office",
    "server/alerts/mail.py": "which urgent findings still need a mail",
    "server/mail/outbox.py": "the mail outbox and its retry state",
    "server/schedule/monthly.py": "the monthly watch visits generated from subscriptions",
    "server/schedule/runner.py": "which day the monthly generator last ran (database_meta)",
    "server/sync/pull.py": "what a phone pulls, in a few batched reads",
    "server/sync/push.py": "a batch of pushes read up front and written with executemany",
    "server/office/houses.py": "the office's read model: houses, their history and map points",
    "server/office/owner_view.py": "the owner's read model: houses, reports, next visit month",
    "server/office/review.py": "the review queue's read model",
    "server/office/worklist.py": "the office's open visits and assigning them",
    "server/ops/backup.py": "a tool: opens the SQLite file directly (the online backup API while the server runs; restore)",
    "server/ops/migrate_to/": "a tool: reads the SQLite file directly and writes PostgreSQL in one transaction",
    "server/demo/mode.py": "a tool: the demo marker, read from the SQLite file before the server opens it",
    "server/demo/seed.py": "a tool: `akiya seed-demo` writes the demo town's owners, contract and events into an empty database",
}

SQL = re.compile(r"""^\s*(SELECT\b.*\bFROM\b|SELECT\s+\d|INSERT\s+(OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b
                     |WITH\s+(RECURSIVE\s+)?\w+(\s*\([^)]*\))?\s+AS\b|PRAGMA\b|BEGIN\b|VACUUM\b
                     |CREATE\s+(TABLE|INDEX|UNIQUE|TEMP)|DROP\s+(TABLE|INDEX)|ALTER\s+TABLE)""", re.DOTALL | re.VERBOSE)
# Which visits count (latest, approved, of a period, awaiting review) is decided in server/inspections/:
# a query anywhere else that reads the table FROM it, or joins it on anything but one visit's key,
# makes such a decision. Joining the one visit a row points at (`JOIN inspections i ON i.id =
# a.inspection_id`: an alert's or a photo's own visit) decides nothing and is allowed.
READS_INSPECTIONS = re.compile(r"\bFROM\s+inspections\b|\bJOIN\s+inspections\s+(?!(\w+)\s+ON\s+\1\.id\s*=\s*\w+\.inspection_id\b)")


# --- reading the source ---------------------------------------------------------------------------

def modules(root: Path) -> dict[str, Path]:
    """Every module of server/ and reports/ by dotted name (a package by its own name)."""
    found = {}
    for top in ("server", "reports"):
        for path in sorted((root / top).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """module -> the modules it imports (at the top or inside a function alike). `from pkg import name`
    points at pkg.name when that is a module, else at pkg."""
    mods = modules(root)

    def known(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in mods.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {known(alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in mods else known(node.module))
        graph[name] = {t for t in targets if t and t != name}
    return graph


def layer_of(module: str) -> int | None:
    """The index in LAYERS (0 is the top); None for reports/."""
    if module.split(".")[0] != "server":
        return None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if prefix.startswith("*.") and module.endswith(prefix[1:]):
                return index
            if module == prefix or module.startswith(prefix + ".") and prefix != "server":
                return index
    return next(i for i, (_, prefixes) in enumerate(LAYERS) if prefixes == ("server",))


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if module.startswith("reports") and target.startswith("server"):
                wrong.append(f"{module} -> {target} (reports/ renders plain data and imports no server code)")
            elif layer_of(module) is not None and layer_of(target) is not None and layer_of(target) < layer_of(module):
                wrong.append(f"{module} ({LAYERS[layer_of(module)][0]}) -> {target} ({LAYERS[layer_of(target)][0]})")
    return wrong


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def string_literals(path: Path) -> Iterator[tuple[int, str]]:
    """Every string literal, f-strings with each {placeholder} read as `x`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            yield node.lineno, "".join(part.value if isinstance(part, ast.Constant) else "x" for part in node.values)


def sql_home(relative: str) -> bool:
    for home in SQL_HOMES:
        if home.endswith("/") and relative.startswith(home):
            return True
        if "*" in home and Path(relative).match(home) and relative.count("/") == home.count("/"):
            return True
        if relative == home:
            return True
    return False


def sql_outside_homes(root: Path) -> list[str]:
    wrong = []
    for path in modules(root).values():
        relative = path.relative_to(root).as_posix()
        if sql_home(relative):
            continue
        wrong += [f"{relative}:{line}: {text.strip()[:60]!r}" for line, text in string_literals(path) if SQL.match(text)]
    return wrong


def inspections_readers(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in modules(root).values()
            if not path.relative_to(root).as_posix().startswith("server/inspections/")
            and any(SQL.match(text) and READS_INSPECTIONS.search(text) for _, text in string_literals(path))}


# --- the map ----------------------------------------------------------------------------------------

def _section(title: str) -> str:
    start = TEXT.index(f"## {title}")
    end = TEXT.find("\n## ", start + 1)
    return TEXT[start:end if end != -1 else None]


def named_paths(text: str) -> set[str]:
    return {match for match in PATH_LIKE.findall(text) if not match.startswith(("/", "POST", "GET"))}


def test_every_path_the_architecture_names_exists():
    names = named_paths(TEXT)
    assert len(names) > 20, names  # the reader regex still finds the paths
    missing = sorted(name for name in names if not (ROOT / name).exists())
    assert not missing, f"ARCHITECTURE.md names paths that do not exist: {missing}"


def test_one_inspection_path_is_at_most_ten_files_each_named_once():
    steps = re.findall(r"^\d+\. `([^`]+)`", _section("One inspection, from the phone to the owner's PDF"),
                       re.MULTILINE)
    assert 5 <= len(steps) <= 10, steps
    assert len(set(steps)) == len(steps), "a file named twice means going back"
    assert all((ROOT / step).is_file() for step in steps), steps


def test_the_path_starts_on_the_phone_and_ends_in_the_pdf_renderer():
    steps = re.findall(r"^\d+\. `([^`]+)`", _section("One inspection, from the phone to the owner's PDF"),
                       re.MULTILINE)
    assert steps[0].startswith("field_app/") and steps[-1].startswith("reports/")


def test_the_map_names_every_layer_and_every_sql_home():
    layers = _section("Layers of the server")
    for name, prefixes in LAYERS:
        assert name in layers.lower(), name
        for prefix in prefixes:
            if prefix.startswith("server."):
                assert f"`{prefix.replace('.', '/')}" in layers, prefix
    homes = _section("Where SQL is written")
    assert all(f"`{home}`" in homes for home in SQL_HOMES), [h for h in SQL_HOMES if f"`{h}`" not in homes]


# --- the code keeps the map's rules -----------------------------------------------------------------

def test_no_module_imports_a_layer_above_its_own():
    assert upward_imports(import_graph(ROOT)) == []


def test_no_modules_import_each_other_in_a_cycle():
    assert import_cycles(import_graph(ROOT)) == []


def test_sql_is_written_only_in_its_named_homes():
    assert sql_outside_homes(ROOT) == []
    assert all((ROOT / home.split("*")[0]).exists() for home in SQL_HOMES), "a home that no longer exists"


def test_the_inspections_table_is_read_only_in_server_inspections():
    assert inspections_readers(ROOT) == set(), "read inspections through server/inspections/"


def test_the_checks_catch_a_planted_violation_of_each_rule(tmp_path):
    files = {
        "server/__init__.py": "",
        "server/app.py": "",
        "server/core/__init__.py": "",
        "server/core/clock.py": "from server.app import create_app\n",  # core reaching up to assembly
        "server/tasks/__init__.py": "",
        "server/tasks/a.py": "from server.tasks import b\n",
        "server/tasks/b.py": "import server.tasks.a\n",  # a cycle
        "server/tasks/routes.py": 'LIST = """SELECT id FROM tasks WHERE status = ?"""\n',  # SQL in a route
        "server/tasks/queries.py": 'OPEN = f"SELECT id FROM inspections i WHERE {1}"\n',  # reads inspections
        "reports/__init__.py": "from server.tasks import queries\n",  # the renderer reaching into the server
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = import_graph(tmp_path)
    assert upward_imports(graph) == [
        "reports -> server.tasks.queries (reports/ renders plain data and imports no server code)",
        "server.core.clock (core) -> server.app (assembly and operations)",
    ]
    assert import_cycles(graph) == [["server.tasks.a", "server.tasks.b"]]
    assert sql_outside_homes(tmp_path) == ["server/tasks/routes.py:1: 'SELECT id FROM tasks WHERE status = ?'"]
    assert inspections_readers(tmp_path) == {"server/tasks/queries.py"}
