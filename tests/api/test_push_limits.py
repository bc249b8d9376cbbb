"""What one push may hold (server/core/limits.py, README "Input limits"): each limit accepted at its
value and refused one past it, refused before scoring, with an error that stays small."""

import json
import time

import pytest

from server.core import limits
from tests.support.field import Visit, new_id, watch_visit

PUSH = "/api/v1/sync/push"


def _post_raw(session, body: str):
    return session.client.post(PUSH, content=body, headers={**session.headers, "content-type": "application/json"})


def _send(session, ops, device_id="phone-1"):
    return _post_raw(session, json.dumps({"device_id": device_id, "ops": ops}))


def _status_and_code(session, op):
    result = session.push([op])[0]
    return result["status"], (result.get("error") or {}).get("code")


def test_a_push_over_the_body_limit_is_refused_at_once_with_a_small_answer(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    visit.inspection["answers"] = {f"{n:x}": 1 for n in range(760_000)}  # the reported 7.5 MB push
    body = json.dumps({"device_id": "phone-1", "ops": [visit.op()]}, separators=(",", ":"))
    assert 7_000_000 < len(body) < 8_000_000
    started = time.monotonic()
    response = _post_raw(aoki, body)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert len(response.content) < 500
    assert time.monotonic() - started < 2.0


def test_unknown_answer_keys_filling_the_body_give_a_small_answer_and_store_nothing(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    visit.inspection["answers"] = {f"k{n}": 1 for n in range(150_000)}
    body = json.dumps({"device_id": "phone-1", "ops": [visit.op()]})
    assert len(body) < limits.PUSH_MAX_BYTES
    response = _post_raw(aoki, body)
    assert response.status_code == 200
    assert response.json()["results"][0]["error"]["code"] == "invalid_op"
    assert len(response.content) < 2_000
    assert aoki.get(f"/api/v1/inspections/{visit.id}").status_code == 404


def test_a_hundred_ops_are_taken_and_a_hundred_and_one_are_refused(world, as_):
    aoki = as_("aoki")
    ops = [Visit(property_id=new_id(), rubric_id="municipal_survey").op() for _ in range(limits.PUSH_MAX_OPS + 1)]
    assert len(aoki.push(ops[:limits.PUSH_MAX_OPS])) == limits.PUSH_MAX_OPS
    response = _send(aoki, ops)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_two_hundred_answer_keys_are_scored_and_two_hundred_and_one_are_refused_unread(world, as_):
    aoki = as_("aoki")
    at_limit = watch_visit(world)
    at_limit.inspection["answers"] |= {f"extra_{n}": 1 for n in range(limits.ANSWERS_MAX - len(at_limit.inspection["answers"]))}
    assert len(at_limit.inspection["answers"]) == limits.ANSWERS_MAX
    assert _status_and_code(aoki, at_limit.op()) == ("rejected", "invalid_answers")  # read, then scored
    over = watch_visit(world)
    over.inspection["answers"] |= {f"extra_{n}": 1 for n in range(limits.ANSWERS_MAX + 1 - len(over.inspection["answers"]))}
    assert _status_and_code(aoki, over.op()) == ("rejected", "invalid_op")  # refused before scoring


def test_an_error_lists_fifty_problems_and_then_counts_the_rest(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    unknown = limits.ANSWERS_MAX - len(visit.inspection["answers"])
    visit.inspection["answers"] |= {f"extra_{n}": 1 for n in range(unknown)}
    error = aoki.push([visit.op()])[0]["error"]
    assert error["code"] == "invalid_answers"
    details = error["details"]
    assert len(details) == limits.ERROR_DETAILS_MAX + 1
    assert all(d["code"] == "unknown_item" for d in details[:-1])
    assert details[-1]["code"] == "more_problems"
    assert details[-1]["count"] == unknown - limits.ERROR_DETAILS_MAX
    assert f"ほかに {unknown - limits.ERROR_DETAILS_MAX} 件" in details[-1]["message"]


def test_an_answer_key_of_64_characters_is_read_and_of_65_is_refused(world, as_):
    aoki = as_("aoki")
    for length, code in ((limits.ANSWER_KEY_MAX, "invalid_answers"), (limits.ANSWER_KEY_MAX + 1, "invalid_op")):
        visit = watch_visit(world)
        visit.inspection["answers"]["k" * length] = 1
        assert _status_and_code(aoki, visit.op()) == ("rejected", code)


def test_a_text_answer_is_read_up_to_2000_characters_then_refused_unread(world, as_):
    aoki = as_("aoki")
    for length, code in ((limits.ANSWER_TEXT_MAX, "invalid_answers"), (limits.ANSWER_TEXT_MAX + 1, "invalid_op")):
        visit = watch_visit(world, overrides={"exterior": "check"})
        visit.inspection["answers"]["exterior_note"] = "壁" * length  # the rubric allows 200: too_long when read
        assert _status_and_code(aoki, visit.op()) == ("rejected", code)


def test_notes_of_2000_characters_are_applied_and_of_2001_refused(world, as_):
    aoki = as_("aoki")
    over = watch_visit(world)
    over.inspection["notes"] = "あ" * (limits.NOTES_MAX + 1)
    assert _status_and_code(aoki, over.op()) == ("rejected", "invalid_op")
    at_limit = watch_visit(world)
    at_limit.inspection["notes"] = "あ" * limits.NOTES_MAX
    assert _status_and_code(aoki, at_limit.op()) == ("applied", None)


def test_forty_photos_are_read_and_forty_one_refused(world, as_):
    aoki = as_("aoki")
    for count, code in ((limits.PHOTOS_MAX, "invalid_answers"), (limits.PHOTOS_MAX + 1, "invalid_op")):
        visit = watch_visit(world)
        visit.inspection["photos"] = [{"id": new_id(), "slot": "no_such_slot", "sha256": "0" * 64}
                                      for _ in range(count)]
        assert _status_and_code(aoki, visit.op()) == ("rejected", code)


def _report(address: str) -> dict:
    return {"op_id": new_id(), "type": "property.report",
            "property": {"id": new_id(), "lat": 35.69, "lon": 139.75, "address_text": address}}


@pytest.mark.parametrize("length", [limits.ADDRESS_MAX + 1, 120_000])
def test_a_reported_house_with_an_overlong_address_is_refused_and_not_stored(world, as_, length):
    aoki = as_("aoki")
    op = _report("一" * length)
    assert _status_and_code(aoki, op) == ("rejected", "invalid_op")
    assert all(p["id"] != op["property"]["id"] for p in aoki.get("/api/v1/sync/pull").json()["properties"])


def test_a_reported_house_with_an_address_of_the_maximum_length_is_applied(world, as_):
    assert _status_and_code(as_("aoki"), _report("一" * limits.ADDRESS_MAX)) == ("applied", None)


def test_the_push_limits_are_in_the_openapi_schema(client):
    schema = client.get("/schema/openapi.json").json()
    described = " ".join(schema["paths"]["/api/v1/sync/push"]["post"]["description"].split())
    for figure in (f"{limits.PUSH_MAX_BYTES:,} bytes", f"{limits.PUSH_MAX_OPS} ops", f"{limits.ANSWERS_MAX} answer keys",
                   f"key over {limits.ANSWER_KEY_MAX} characters", f"text answer over {limits.ANSWER_TEXT_MAX} characters",
                   f"{limits.ANSWER_CHOICES_MAX} values", f"{limits.PHOTOS_MAX} photos",
                   f"notes over {limits.NOTES_MAX} characters", f"address is over {limits.ADDRESS_MAX} characters",
                   f"{limits.ERROR_DETAILS_MAX} problems"):
        assert figure in described, figure
    assert schema["components"]["schemas"]["PushIn"]["properties"]["ops"]["maxItems"] == limits.PUSH_MAX_OPS
