"""NUL and other control characters are refused at the door with the same answer on SQLite and
PostgreSQL (which cannot store NUL in text): a 400 naming the field, before sign-in where there is
none yet; in a push only the op holding one is rejected and the rest of the batch is applied; an
id holding one is a 404. Tab, LF and CR stay allowed where text is written in several lines."""

from __future__ import annotations

import pytest

from tests.office.db import count, query
from tests.office.pages import post_form, sign_in
from tests.support.field import new_id, watch_visit

NUL = "\x00"
BAD = [NUL, "\x01", "\x1b", "\x1f"]


def _assert_refused(response, field: str):
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "control_character"
    assert body["details"] == [{"field": field}]
    assert f"「{field}」" in body["message"] and "制御文字" in body["message"]


@pytest.mark.parametrize("bad", BAD)
def test_login_with_a_control_character_is_400_naming_the_field_before_authentication(client, world, bad):
    _assert_refused(client.post("/api/v1/auth/login", json={"login": f"aoki{bad}", "password": "x"}), "login")
    _assert_refused(client.post("/api/v1/auth/login", json={"login": "aoki", "password": f"pw{bad}"}), "password")


def _report(address: str = "東京都千代田区一番町9-9", notes: str = "") -> dict:
    return {"op_id": new_id(), "type": "property.report",
            "property": {"id": new_id(), "lat": 35.687, "lon": 139.74, "address_text": address, "notes": notes}}


def _results_by_op(as_, ops: list[dict]) -> dict[str, dict]:
    return {r["op_id"]: r for r in as_("aoki").push(ops)}


@pytest.mark.parametrize("where", ["notes", "text_answer", "answer_key"])
def test_a_nul_in_an_inspection_rejects_that_op_and_the_rest_of_the_push_is_applied(world, as_, settings, where):
    visit = watch_visit(world)
    if where == "notes":
        visit.inspection["notes"] = f"雨戸が{NUL}外れている"
        field = "inspection.notes"
    elif where == "text_answer":
        visit.inspection["answers"]["entrance_lock_note"] = f"戸{NUL}"
        field = "inspection.answers.entrance_lock_note"
    else:
        visit.inspection["answers"][f"garden{NUL}"] = "ok"
        field = "inspection.answers.garden\ufffd"
    fine = _report()
    results = _results_by_op(as_, [visit.op(), fine])
    assert results[fine["op_id"]]["status"] == "applied"
    rejected = results[visit.op_id]
    assert rejected["status"] == "rejected"
    assert rejected["error"]["code"] == "control_character_in_record"
    assert rejected["error"]["details"] == [{"field": field}]
    assert count(settings, "inspections", "id = ?", visit.id) == 0
    assert count(settings, "properties", "id = ?", fine["property"]["id"]) == 1


def test_an_address_with_a_nul_or_a_line_break_rejects_the_report_but_a_note_may_have_lines(world, as_, settings):
    nul, newline, lines = _report(f"一番町{NUL}9"), _report("一番町\n9-9"), _report(notes="一行目\n二行目\t終わり\r\n")
    results = _results_by_op(as_, [nul, newline, lines])
    assert [results[op["op_id"]]["status"] for op in (nul, newline, lines)] == ["rejected", "rejected", "applied"]
    assert results[nul["op_id"]]["error"]["details"] == [{"field": "property.address_text"}]
    assert query(settings, "SELECT notes FROM properties WHERE id = ?", lines["property"]["id"]) == [
        ("一行目\n二行目\t終わり\r\n",)]


def test_a_device_id_with_a_nul_refuses_the_push(world, as_, settings):
    response = as_("aoki").post("/api/v1/sync/push", json={"device_id": f"phone{NUL}", "ops": [_report()]})
    _assert_refused(response, "device_id")
    assert count(settings, "properties", "reported_by IS NOT NULL") == 0


@pytest.mark.parametrize("path", ["/api/v1/inspections/{id}%00", "/api/v1/inspections/%00{id}",
                                  "/api/v1/photos/{id}%01/file", "/office/properties/{id}%00"])
def test_an_id_with_a_control_character_is_404(client, world, as_, path):
    sign_in(client, "ueda")
    response = as_("ueda").get(path.format(id=world.properties["watched"]))
    assert response.status_code == 404, response.text


def test_a_query_value_with_a_nul_is_400_naming_the_parameter(world, as_):
    response = as_("ueda").get("/api/v1/reports/survey/1.pdf", params={"district": f"一番町{NUL}"})
    _assert_refused(response, "district")


def test_the_contract_csv_names_the_row_and_column_holding_a_nul(client, world, settings):
    sign_in(client, "ueda")
    csv_text = ("住所,緯度,経度,備考\n東京都千代田区一番町5-5,35.687,139.74,二行の\n"
                f"東京都千代田区一番町6-6{NUL},35.687,139.74,\n")
    response = post_form(client, "/office/contracts", {"title": "神田地区 空き家実態調査", "period_start": "2026-12-01",
                                                       "period_end": "2027-03-31"},
                         page="/office/contracts", files={"file": ("list.csv", csv_text.encode(), "text/csv")})
    assert response.status_code == 400
    assert "3 行目" in response.text and "1 列目に使えない制御文字" in response.text
    assert count(settings, "survey_contracts") == 0


def test_the_subscription_form_with_a_nul_is_400_naming_the_field_and_stores_nothing(client, world, settings):
    sign_in(client, "ueda")
    response = post_form(client, "/office/subscriptions", {
        "property_id": world.properties["surveyed"], "owner_name": f"佐藤{NUL}花子", "owner_email": "sato@example.jp",
        "report_delivery": "email", "start_date": "2026-12-01"}, page="/office/subscriptions")
    assert response.status_code == 400
    assert "「owner_name」に使えない制御文字" in response.text
    assert count(settings, "owners") == 2


def test_an_office_textarea_keeps_its_lines_but_not_a_nul(client, world, as_, settings):
    visit = watch_visit(world, overrides={"entrance_lock": "unlocked"})
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    alert = query(settings, "SELECT id FROM urgent_alerts")[0][0]
    sign_in(client, "ueda")
    refused = post_form(client, f"/office/alerts/{alert}/confirm", {"owner_notice": "page", "owner_note": f"施錠{NUL}"})
    assert refused.status_code == 400 and "「owner_note」に使えない制御文字" in refused.text
    assert query(settings, "SELECT confirmed_at FROM urgent_alerts") == [(None,)]
    kept = post_form(client, f"/office/alerts/{alert}/confirm", {"owner_notice": "page", "owner_note": "施錠しました。\r\n以上"})
    assert kept.status_code == 303
    assert query(settings, "SELECT owner_note FROM urgent_alerts") == [("施錠しました。\r\n以上",)]
