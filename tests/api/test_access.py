"""Each role sees only its own data; forbidden and nonexistent look the same."""

import pytest

from tests.support.client import problem
from tests.support.field import Visit, new_id, survey_visit, watch_visit
from tests.support.handover import hand_over


def _submitted(world, as_):
    aoki = as_("aoki")
    watch, survey = watch_visit(world), survey_visit(world)
    aoki.push([watch.op(), survey.op()])
    watch.upload_all(aoki)
    survey.upload_all(aoki)
    return {"watch": watch.id, "survey": survey.id}


@pytest.fixture
def submitted(world, as_):
    """Aoki's watch visit and survey, photos in, waiting for the clerk."""
    return _submitted(world, as_)


@pytest.fixture
def records(world, as_):
    """The same two records, approved by Ueda."""
    found = _submitted(world, as_)
    for inspection_id in found.values():
        response = as_("ueda").post(f"/api/v1/inspections/{inspection_id}/review", json={"decision": "approve"})
        assert response.status_code == 200
    return found


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
            assert (response.status_code, problem(response)) == (404, problem(missing))


@pytest.mark.parametrize("login", ["kato", "kudo", "mori", "ono"])
def test_only_the_houses_office_reviews(submitted, as_, login):
    response = as_(login).post(f"/api/v1/inspections/{submitted['watch']}/review", json={"decision": "approve"})
    assert response.status_code in (403, 404)
    assert as_("ueda").get(f"/api/v1/inspections/{submitted['watch']}").json()["status"] == "submitted"


def test_another_offices_clerk_cannot_review_and_is_told_not_found(submitted, as_):
    response = as_("kudo").post(f"/api/v1/inspections/{submitted['watch']}/review", json={"decision": "approve"})
    assert response.status_code == 404


def test_owners_and_municipal_officers_get_404_for_submitted_and_returned_records(submitted, as_):
    missing = problem(as_("ono").get(f"/api/v1/inspections/{new_id()}"))
    readers = {"watch": as_("ono"), "survey": as_("mori")}
    for key, reader in readers.items():
        assert reader.get(f"/api/v1/inspections/{submitted[key]}").status_code == 404, key
    for key, reader in readers.items():
        returned = as_("ueda").post(f"/api/v1/inspections/{submitted[key]}/review",
                                    json={"decision": "return", "comment": "屋根の写真がぼやけています"})
        assert returned.status_code == 200
        response = reader.get(f"/api/v1/inspections/{submitted[key]}")
        assert (response.status_code, problem(response)) == (404, missing), key
        assert as_("aoki").get(f"/api/v1/inspections/{submitted[key]}").json()["review_comment"] == \
            "屋根の写真がぼやけています"


def test_owners_and_municipal_officers_never_read_the_clerks_review_comment(submitted, as_):
    for key, reader in (("watch", "ono"), ("survey", "mori")):
        as_("ueda").post(f"/api/v1/inspections/{submitted[key]}/review",
                         json={"decision": "approve", "comment": "所有者に電話で確認済み（内部メモ）"})
        response = as_(reader).get(f"/api/v1/inspections/{submitted[key]}")
        assert response.status_code == 200
        assert response.json()["review_comment"] == "" and "内部メモ" not in response.text
        assert as_("ueda").get(f"/api/v1/inspections/{submitted[key]}").json()["review_comment"] == \
            "所有者に電話で確認済み（内部メモ）"


# After the house changed hands: who -> (sees Ono's October visit, sees Oda's November visit)
HANDOVER = {
    "aoki": (True, True),     # the carrier who made both
    "kato": (False, False),
    "ueda": (True, True),     # the house's office keeps the whole history
    "kudo": (False, False),
    "mori": (False, False),   # watch data: never
    "ono": (True, False),     # the old owner: her own months only, nothing after her subscription ended
    "oda": (False, True),     # the new owner: nothing from before his subscription began
    "admin": (True, True),
}


def test_after_the_house_changed_hands_each_owner_reads_only_visits_of_their_own_subscription(world, as_):
    handover = hand_over(world, as_)
    seen = {login: tuple(as_(login).get(f"/api/v1/inspections/{visit.id}").status_code == 200
                         for visit in (handover.october, handover.november)) for login in HANDOVER}
    assert seen == HANDOVER
    reports = {(login, month): as_(login).get(f"/api/v1/reports/owner/{handover.property_id}",
                                              params={"month": month}).status_code
               for login in ("ono", "oda") for month in ("2026-10", "2026-11")}
    assert reports == {("ono", "2026-10"): 200, ("ono", "2026-11"): 404,
                       ("oda", "2026-10"): 404, ("oda", "2026-11"): 200}


def test_no_token_is_401_everywhere(client, world):
    for method, url in (("get", "/api/v1/sync/pull"), ("post", "/api/v1/sync/push"),
                        ("get", f"/api/v1/inspections/{new_id()}"), ("put", f"/api/v1/photos/{new_id()}")):
        response = getattr(client, method)(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "unauthenticated"
