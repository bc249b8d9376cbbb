"""The error catalogue (server/core/problems.py) is the one list of error codes: every raise site names an
entry, every entry is raised somewhere, and the OpenAPI document, the /schema page and the README
list them from it."""

import ast
import re
import string
from pathlib import Path
from typing import get_args, get_type_hints

from server.core import problems
from server.core.errors import OpProblem
from server.sync.schemas import OpResult
from server.http.web import _DESCRIPTIONS
from tests.support.problem_reach import raised_by_handler

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "server"
CATALOGUE_FILES = {SERVER / "core/errors.py", SERVER / "core/problems.py"}
# What makes an error response by hand; outside the catalogue only `problems.NAME(...)` may.
HAND_MADE = {"AppError", "ErrorBody", "BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "TooLarge",
             "UnsupportedMedia", "Unprocessable", "TooManyRequests", "Problem", "OpError", "OpRejected", "OpProblem"}
ENTRIES = problems.entry_names()


def _sources():
    for path in sorted(SERVER.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _imports_catalogue(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.ImportFrom) and n.module == "server.core" and any(a.name == "problems" for a in n.names)
               for n in ast.walk(tree))


def _entry_refs(tree: ast.Module):
    """(name, node, call or None) for each `problems.NAME` in a module that imports the catalogue."""
    if not _imports_catalogue(tree):
        return
    calls = {id(n.func): n for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "problems"
                and node.attr.isupper()):  # entries are NAMES; lower-case names are the catalogue's functions
            yield node.attr, node, calls.get(id(node))


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _literals(node: ast.expr) -> list[str] | None:
    """The strings a variant argument can be (None: not known statically)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def test_no_error_response_is_made_outside_the_catalogue():
    found = [f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)[:80]}"
             for path, tree in _sources() if path not in CATALOGUE_FILES
             for node in ast.walk(tree) if isinstance(node, ast.Call)
             and (node.func.id if isinstance(node.func, ast.Name)
                  else node.func.attr if isinstance(node.func, ast.Attribute) else None) in HAND_MADE]
    assert found == [], "raise problems.NAME(...) from server/core/problems.py instead"


def test_every_raise_site_names_an_entry_with_its_variant_and_parameters():
    wrong = []
    for path, tree in _sources():
        for name, node, call in _entry_refs(tree):
            where = f"{path.relative_to(ROOT)}:{node.lineno} problems.{name}"
            entry = ENTRIES.get(name)
            if entry is None:
                wrong.append(f"{where}: no such entry")
                continue
            if call is None:
                continue
            if any(k.arg is None for k in call.keywords):
                continue
            given = {k.arg for k in call.keywords} - {"details", "headers"}
            if call.args and not entry.variants:
                wrong.append(f"{where}: an entry without variants")
            variants = _literals(call.args[0]) if call.args else [None]
            for variant in variants or ():  # a variant computed at run time falls back to the message
                if variant is not None and variant not in entry.variants:
                    wrong.append(f"{where}: no variant {variant!r}")
                    continue
                if variant is None and entry.message == "":
                    wrong.append(f"{where}: name one of the variants {sorted(entry.variants)}")
                    continue
                template = entry.variants[variant] if variant is not None else entry.message
                if _placeholders(template) - given:
                    wrong.append(f"{where}: missing {sorted(_placeholders(template) - given)}")
            allowed = set().union(*(_placeholders(m) for m in entry.messages()))
            if given - allowed:
                wrong.append(f"{where}: {sorted(given - allowed)} not in its message")
    assert wrong == []


def test_every_entry_is_raised_somewhere():
    used = set()
    for path, tree in _sources():
        if path == SERVER / "core/problems.py":
            continue
        used |= {name for name, _, _ in _entry_refs(tree)}
        used |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "server.core.problems"
                 for a in n.names}
    assert sorted(set(ENTRIES) - used) == [], "a code no one raises: remove it from the catalogue"


def test_one_code_one_status_and_a_message_for_every_entry():
    by_code = problems.catalogue()
    assert len(by_code) == len(ENTRIES)
    for name, entry in ENTRIES.items():
        assert name == entry.code.upper(), name
        assert re.fullmatch(r"[a-z][a-z0-9_]*", entry.code), entry.code
        if isinstance(entry, OpProblem):  # a push op's result status, the push answering 200
            assert entry.status in set(get_args(get_type_hints(OpResult)["status"])) - {"applied", "duplicate"}
        else:
            assert entry.status in _DESCRIPTIONS, entry.code
        assert entry.messages(), entry.code
        assert entry.message or entry.variants, entry.code
        for message in entry.messages():
            assert message.strip() and message.count("{") == message.count("}"), (entry.code, message)
            assert message == "{reason}" or re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", message), (entry.code, message)


def test_a_variant_and_its_parameters_make_the_message():
    error = problems.SUBSCRIPTION_OVERLAPS("until", start="2026-04-01", end="2027-03-31")
    assert (error.status, error.code) == (409, "subscription_overlaps")
    assert error.message.startswith("この物件には 2026-04-01 から2027-03-31 までの見回り契約があります。")
    assert problems.NOT_REVIEWABLE("approved").message == "この記録は既に承認されています。"
    assert problems.NOT_REVIEWABLE("draft").message == "この記録は確認できません。"  # unknown state: the default
    limited = problems.UPLOAD_IN_PROGRESS(offset=512, details={"upload_offset": 512}, headers={"Upload-Offset": "512"})
    assert (limited.body().details, limited.headers) == ({"upload_offset": 512}, {"Upload-Offset": "512"})


def test_every_api_route_documents_the_status_of_every_entry_it_can_raise(client):
    """Read from the source (tests/support/problem_reach.py): what a handler and the code it calls
    can raise; each status of those entries is a documented response of the operation."""
    paths = client.get("/schema/openapi.json").json()["paths"]
    wrong, reached = [], {}
    for route in client.app.routes:
        for handler in getattr(route, "route_handlers", []):
            path = re.sub(r":[a-z]+}", "}", route.path)
            if path not in paths or not handler.fn.__module__.startswith("server."):
                continue
            for method in handler.http_methods:
                names = raised_by_handler(handler.fn)
                reached[f"{method} {path}"] = names
                documented = {int(s) for s in paths[path][method.lower()]["responses"]}
                statuses = {ENTRIES[n].status for n in names if isinstance(ENTRIES[n].status, int)}
                if statuses - documented:
                    wrong.append(f"{method} {path}: {sorted(statuses - documented)} not documented "
                                 f"(error_responses); it can raise {sorted(names)}")
    assert wrong == []
    # The reading follows calls through queries, threads and the document service:
    assert {"NOT_REVIEWABLE", "COMMENT_REQUIRED"} <= reached["POST /api/v1/inspections/{inspection_id}/review"]
    assert {"TRUNCATED", "SHA256_MISMATCH"} <= reached["PUT /api/v1/photos/{photo_id}"]
    assert {"NO_REPORT", "FONTS_MISSING"} <= reached["GET /api/v1/reports/owner/{property_id}"]


def test_the_openapi_document_lists_the_catalogue_codes_of_every_error_response(client):
    schema = client.get("/schema/openapi.json").json()
    checked = 0
    for item in schema["paths"].values():
        for operation in item.values():
            for status, response in (operation.get("responses") or {}).items() if isinstance(operation, dict) else ():
                content = (response.get("content") or {}).get("application/json") or {}
                if not content.get("schema", {}).get("$ref", "").endswith("/ErrorBody"):
                    continue
                codes = [p.code for p in problems.of_status(int(status))]
                assert sorted(content.get("examples") or {}) == codes, status
                assert response["description"].endswith("code: " + ", ".join(codes))
                checked += 1
    assert checked > 20
    review = schema["paths"]["/api/v1/inspections/{inspection_id}/review"]["post"]["responses"]
    assert "not_reviewable" in review["409"]["content"]["application/json"]["examples"]
    push = schema["paths"]["/api/v1/sync/push"]["post"]["description"]
    for entry in ENTRIES.values():
        if isinstance(entry, OpProblem):
            assert f"`{entry.code}` ({entry.status})" in push, entry.code


def test_the_api_reference_page_lists_every_code(client):
    page = client.get("/schema").text
    for entry in problems.catalogue().values():
        assert f"<code>{entry.code}</code>" in page, entry.code


def test_the_readme_lists_the_codes_of_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = {status: codes.split(", ") for status, codes in
              re.findall(r"^- `(\w+)`(?: \(push op\))?: (`[a-z0-9_]+`(?:, `[a-z0-9_]+`)*)$", readme, re.M)}
    expected = {str(status): [f"`{p.code}`" for p in problems.of_status(status)] for status in problems.statuses()}
    assert listed == expected, "README: the list of error codes (regenerate with problems.readme_list())"

