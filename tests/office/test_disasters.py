"""Disaster sweeps: the area decides which houses get an urgent check, and never twice."""

from server.disasters.area import distance_m
from tests.office.db import execute, query
from tests.support.client import problem
from tests.support.world import MUNICIPALITY

WATCHED = (35.6870, 139.7400)
WHEN = "2026-11-20T03:14:00+09:00"


def event(area, **kw):
    return {"kind": "earthquake", "intensity": "震度5強", "occurred_at": WHEN, "area": area, **kw}


def circle_around(house, metres_from_house, radius_m):
    """A circle whose centre is `metres_from_house` due north of the house."""
    centre = {"lat": house[0] + metres_from_house / 111_195.0, "lon": house[1]}
    return {"center": centre, "radius_m": radius_m}


def disaster_tasks(settings):
    return sorted(query(settings, """SELECT property_id, assignee_id, priority, rubric_id FROM tasks
                                     WHERE kind = 'disaster'"""))


def test_a_house_just_inside_the_radius_gets_a_check(as_, world, settings):
    area = circle_around(WATCHED, 800, 0)
    area["radius_m"] = distance_m(area["center"]["lat"], area["center"]["lon"], *WATCHED) + 1
    response = as_("ueda").post("/api/v1/disaster-events", json=event(area))
    assert response.status_code == 201, response.text
    assert response.json()["tasks_created"] == 1
    assert disaster_tasks(settings) == [(world.properties["watched"], world.users["aoki"], 2, "post_disaster")]


def test_a_house_just_outside_the_radius_gets_none(as_, settings):
    area = circle_around(WATCHED, 800, 0)
    area["radius_m"] = distance_m(area["center"]["lat"], area["center"]["lon"], *WATCHED) - 1
    assert as_("ueda").post("/api/v1/disaster-events", json=event(area)).json()["tasks_created"] == 0
    assert disaster_tasks(settings) == []


def test_a_municipality_with_no_watched_houses_gets_no_checks(as_, settings):
    response = as_("admin").post("/api/v1/disaster-events", json=event({"municipality_codes": ["011002"]}))
    assert response.status_code == 201
    assert response.json()["tasks_created"] == 0


def test_each_house_goes_to_its_usual_carrier(as_, world, settings):
    response = as_("admin").post("/api/v1/disaster-events", json=event({"municipality_codes": [MUNICIPALITY]}))
    assert response.json()["tasks_created"] == 2
    assert {(p, a) for p, a, *_ in disaster_tasks(settings)} == {
        (world.properties["watched"], world.users["aoki"]), (world.properties["north"], world.users["kato"])}


def test_houses_whose_subscription_lacks_the_disaster_option_are_skipped(as_, world, settings):
    execute(settings, "UPDATE watch_subscriptions SET options = '[\"airing\"]' WHERE owner_id = ?", world.owners["oda"])
    response = as_("admin").post("/api/v1/disaster-events", json=event({"municipality_codes": [MUNICIPALITY]}))
    assert response.json()["tasks_created"] == 1


def test_registering_the_same_disaster_twice_is_one_event_without_duplicates(as_, settings):
    body = event({"municipality_codes": [MUNICIPALITY]})
    first = as_("admin").post("/api/v1/disaster-events", json=body)
    again = as_("admin").post("/api/v1/disaster-events", json={**body, "occurred_at": "2026-11-19T18:14:00Z"})
    assert again.status_code == 200
    assert again.json() == {"id": first.json()["id"], "tasks_created": 0}
    assert len(disaster_tasks(settings)) == 2
    assert query(settings, "SELECT count(*) FROM disaster_events")[0][0] == 1


def test_editing_an_event_sweeps_again_without_duplicates(as_, world, settings):
    small = circle_around(WATCHED, 0, 100)
    created = as_("admin").post("/api/v1/disaster-events", json=event(small)).json()
    assert created["tasks_created"] == 1
    wider = as_("admin").put(f"/api/v1/disaster-events/{created['id']}",
                             json=event({"municipality_codes": [MUNICIPALITY]}, title="地震（範囲拡大）"))
    assert wider.status_code == 200, wider.text
    assert wider.json() == {"id": created["id"], "tasks_created": 1}
    assert len(disaster_tasks(settings)) == 2


def test_surveyed_houses_are_included_when_asked(as_, world, settings):
    execute(settings, """INSERT INTO survey_contracts (id, municipality_code, office_code, title, period_start,
                         period_end, rubric_id, rubric_version, created_at)
                         VALUES (9, ?, '10001', '調査', '2026-01-01', '2026-12-31', 'municipal_survey', 1, '2026-01-01')""",
            MUNICIPALITY)
    execute(settings, "INSERT INTO contract_properties (contract_id, property_id) VALUES (9, ?)", world.properties["surveyed"])
    body = event({"municipality_codes": [MUNICIPALITY]}, include_surveyed=True)
    assert as_("ueda").post("/api/v1/disaster-events", json=body).json()["tasks_created"] == 2


def test_progress_counts_done_and_remaining_for_the_clerks_own_houses(as_, world, settings):
    created = as_("admin").post("/api/v1/disaster-events", json=event({"municipality_codes": [MUNICIPALITY]})).json()
    execute(settings, "UPDATE tasks SET status = 'done' WHERE kind = 'disaster' AND assignee_id = ?",
            world.users["kato"])
    mine = as_("ueda").get(f"/api/v1/disaster-events/{created['id']}").json()
    assert (mine["done"], mine["remaining"]) == (0, 1)
    everyone = as_("admin").get(f"/api/v1/disaster-events/{created['id']}").json()
    assert (everyone["done"], everyone["remaining"]) == (1, 1)


def test_an_area_must_be_municipalities_or_a_circle_not_both(as_):
    body = event({"municipality_codes": [MUNICIPALITY], "center": {"lat": 35.6, "lon": 139.7}, "radius_m": 100})
    response = as_("admin").post("/api/v1/disaster-events", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_area"


def test_carriers_cannot_register_disasters(as_):
    assert as_("aoki").post("/api/v1/disaster-events",
                            json=event({"municipality_codes": [MUNICIPALITY]})).status_code == 403


def test_only_the_registering_office_or_an_admin_may_edit_an_event(as_, settings):
    body = event({"municipality_codes": [MUNICIPALITY]}, title="千代田区の地震")
    event_id = as_("ueda").post("/api/v1/disaster-events", json=body).json()["id"]
    assert as_("kudo").post("/api/v1/disaster-events", json=body).json() == {"id": event_id, "tasks_created": 1}
    taken = as_("kudo").put(f"/api/v1/disaster-events/{event_id}", json={**body, "title": "乗っ取り"})
    assert taken.status_code == 403 and taken.json()["code"] == "event_not_yours"
    assert as_("kudo").get(f"/api/v1/disaster-events/{event_id}").json()["editable"] is False
    assert query(settings, "SELECT title FROM disaster_events") == [("千代田区の地震",)]
    assert query(settings, "SELECT count(*) FROM audit_log WHERE action = 'disaster_event.update'") == [(0,)]
    for editor in ("ueda", "admin"):
        assert as_(editor).get(f"/api/v1/disaster-events/{event_id}").json()["editable"] is True
        changed = as_(editor).put(f"/api/v1/disaster-events/{event_id}", json={**body, "title": f"{editor}の訂正"})
        assert changed.status_code == 200, changed.text
        assert query(settings, "SELECT title FROM disaster_events") == [(f"{editor}の訂正",)]


def test_an_event_another_office_cannot_see_is_404_to_edit_as_if_missing(as_, settings):
    small = circle_around(WATCHED, 0, 100)  # only Ueda's house: Kudo's office has no check in it
    event_id = as_("ueda").post("/api/v1/disaster-events", json=event(small)).json()["id"]
    hidden = as_("kudo").put(f"/api/v1/disaster-events/{event_id}", json=event(small, title="乗っ取り"))
    missing = as_("kudo").put("/api/v1/disaster-events/999", json=event(small, title="乗っ取り"))
    assert (hidden.status_code, problem(hidden)) == (404, problem(missing))


def test_an_event_of_another_kind_is_registered_checked_and_named_in_the_owners_notice(as_, world, settings,
                                                                                        tmp_path):
    from tests.documents.records import Records, jst, notice_pdf_text

    body = event({"municipality_codes": [MUNICIPALITY]}, kind="other", intensity="", title="竜巻（一番町付近）")
    response = as_("ueda").post("/api/v1/disaster-events", json=body)
    assert response.status_code == 201, response.text
    [(task_id, version, note)] = query(settings, """SELECT id, rubric_version, note FROM tasks
                                                  WHERE kind = 'disaster' AND property_id = ?""",
                                       world.properties["watched"])
    assert version == 2 and note == "竜巻（一番町付近）"
    world.tasks["tornado"] = task_id
    records = Records(world, settings.photos_dir)
    visit = records.approved_visit(jst(2026, 11, 20, 9), version=2, rubric_id="post_disaster", task="tornado",
                                   options=("disaster",), overrides={
                                       "event_type": "other", "event_note": "竜巻", "sticker": "none",
                                       "collapse": "none", "tilt": "none", "foundation": "none", "roof": "slipped",
                                       "falling_risk": [], "other_damage": [], "ground": "none", "flood": "none",
                                       "hazards": [], "referred_to_assessment": False})
    text = "".join(notice_pdf_text(records, visit, tmp_path).split())
    assert "竜巻（一番町付近）" in text and "瓦・屋根材のずれ" in text
