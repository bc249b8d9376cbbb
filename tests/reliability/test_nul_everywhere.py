"""NUL everywhere, against the real server process on both engines (issue 20, item 2): every route
of the app is called with NUL in its path ids, its query and its JSON body, signed in and not. Not
one answer is a 5xx and the server log holds no traceback; a push with NUL in one op applies the
others. One server for the module (conftest's module_live)."""

from __future__ import annotations

import re

from server.app import create_app
from server.core.settings import Settings
from tests.support.field import new_id

NUL = "\x00"


def _routes() -> list[tuple[str, str]]:
    """(method, path) of every route, ids filled with a NUL-laden value."""
    found = []
    for route in create_app(Settings()).routes:
        for method in sorted(getattr(route, "methods", ())):
            if method in ("OPTIONS", "HEAD"):
                continue
            found.append((method, re.sub(r"\{[^}]+\}", f"{new_id()}%00", route.path)))
    return found


def test_no_route_answers_nul_with_a_5xx_signed_in_or_not(module_live, module_carrier):
    routes = _routes()
    assert len(routes) > 40
    anonymous = module_live.http()
    failures = {}
    for method, path in routes:
        for client, who in ((anonymous, "anonymous"), (module_carrier, "carrier")):
            body = {"login": NUL, "password": NUL, "device_id": NUL, "ops": [], "decision": NUL, "comment": NUL}
            response = client.request(method, path, params={"month": NUL, "since": NUL}, json=body) \
                if method in ("POST", "PUT", "PATCH") else client.request(method, path, params={"month": NUL})
            if response.status_code >= 500:
                failures[(method, path, who)] = response.status_code
    assert failures == {}
    log = module_live.log.read_text(errors="replace")
    assert "Traceback" not in log and "cannot contain NUL" not in log


def test_a_push_with_nul_in_each_kind_of_text_rejects_only_those_ops(module_live, module_carrier):
    def report(address: str = "東京都千代田区三番町3-3", notes: str = "") -> dict:
        return {"op_id": new_id(), "type": "property.report",
                "property": {"id": new_id(), "lat": 35.687, "lon": 139.74, "address_text": address, "notes": notes}}

    bad = [report(address=f"三番町{NUL}"), report(notes=f"雨戸{NUL}"), report(address="三番町\x1b[31m")]
    good = [report(address=f"東京都千代田区四番町{n}") for n in range(3)]
    results = {r["op_id"]: r for r in module_carrier.push(bad[:2] + good + bad[2:])}
    assert [results[op["op_id"]]["status"] for op in bad] == ["rejected"] * 3
    assert {results[op["op_id"]]["error"]["code"] for op in bad} == {"control_character_in_record"}
    assert [results[op["op_id"]]["status"] for op in good] == ["applied"] * 3
    stored = module_live.rows("SELECT count(*) FROM properties WHERE id IN (?, ?, ?)",
                              *(op["property"]["id"] for op in good))
    assert stored == [(3,)]
