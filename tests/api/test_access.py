"""Each role sees only its own data; forbidden and nonexistent look the same."""

import pytest

from tests.support.field import Visit, new_id, survey_visit, watch_visit


@pytest.fixture
def records(world, as_):
    aoki = as_("aoki")
    watch, survey = watch_visit(world), survey_visit(world)
    aoki.push([watch.op(), survey.op()])
    watch.upload_all(aoki)
    survey.upload_all(aoki)
    return {"watch": watch.id, "survey": survey.id}


# who -> (sees the watch visit, sees the survey)
EXPECTED = {
    "aoki": (True, True),     # the carrier who made them
    "kato": (False, False),   # another carrier
    "ueda": (True, True),     # the clerk of the office covering the houses
    "kudo": (False, False),   # a clerk of another office
    "mori": (False, True),    # the municipal officer: survey results, never watch data
    "ono": (True, False),     # the owner of the watched house: their watch record only
    "oda": (False, False),    # another owner
    "admin": (True, True),
}


@pytest.mark.parametrize("login", EXPECTED)
def test_who_sees_which_inspection(records, as_, login):
    session = as_(login)
    seen = tuple(session.get(f"/api/v1/inspections/{records[k]}").status_code == 200 for k in ("watch", "survey"))
    assert seen == EXPECTED[login]


@pytest.mark.parametrize("login", EXPECTED)
def test_a_record_i_may_not_see_answers_exactly_like_one_that_does_not_exist(records, as_, login):
    session = as_(login)
    missing = session.get(f"/api/v1/inspections/{new_id()}")
    assert missing.status_code == 404
    for key in ("watch", "survey"):
        response = session.get(f"/api/v1/inspections/{records[key]}")
        if response.status_code != 200:
            assert (response.status_code, response.json()) == (404, missing.json())


@pytest.mark.parametrize("login", ["kato", "kudo", "mori", "ono"])
def test_only_the_houses_office_reviews(records, as_, login):
    response = as_(login).post(f"/api/v1/inspections/{records['watch']}/review", json={"decision": "approve"})
    assert response.status_code in (403, 404)
    assert as_("ueda").get(f"/api/v1/inspections/{records['watch']}").json()["status"] == "submitted"


def test_another_offices_clerk_cannot_review_and_is_told_not_found(records, as_):
    response = as_("kudo").post(f"/api/v1/inspections/{records['watch']}/review", json={"decision": "approve"})
    assert response.status_code == 404


def test_no_token_is_401_everywhere(client, world):
    for method, url in (("get", "/api/v1/sync/pull"), ("post", "/api/v1/sync/push"),
                        ("get", f"/api/v1/inspections/{new_id()}"), ("put", f"/api/v1/photos/{new_id()}")):
        response = getattr(client, method)(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "unauthenticated"
