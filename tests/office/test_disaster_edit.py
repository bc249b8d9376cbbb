"""Editing a disaster from its page: the same change as the API's PUT, errors on the form, nothing half saved."""

from tests.office.db import count, query
from tests.office.pages import post_form, sign_in
from tests.support.world import MUNICIPALITY

WATCHED = (35.6870, 139.7400)
FORM = {"kind": "earthquake", "intensity": "震度5強", "title": "", "occurred_at": "2026-11-20T03:14",
        "area_type": "circle", "lat": str(WATCHED[0]), "lon": str(WATCHED[1]), "radius_m": "100"}


def register(client, **changes) -> int:
    response = post_form(client, "/office/disasters", {**FORM, **changes}, page="/office/disasters")
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("?")[0].rsplit("/", 1)[1])


def edit(client, event_id: int, **changes):
    return post_form(client, f"/office/disasters/{event_id}/edit", {**FORM, **changes},
                     page=f"/office/disasters/{event_id}/edit")


def disaster_tasks(settings) -> list[tuple]:
    return sorted(query(settings, "SELECT property_id, disaster_event_id FROM tasks WHERE kind = 'disaster'"))


def test_the_edit_form_shows_the_event_as_stored(client, world):
    sign_in(client, "ueda")
    event_id = register(client, title="地震 一番町")
    page = client.get(f"/office/disasters/{event_id}/edit").text
    assert 'value="地震 一番町"' in page and 'value="2026-11-20T03:14:00"' in page
    assert 'value="circle" checked' in page and 'id="radius_m" name="radius_m" inputmode="numeric" value="100"' in page


def test_widening_the_area_sweeps_again_without_duplicates(client, world, settings):
    sign_in(client, "admin")
    event_id = register(client)
    assert disaster_tasks(settings) == [(world.properties["watched"], event_id)]
    response = edit(client, event_id, area_type="municipality", municipality_codes=MUNICIPALITY, title="範囲拡大")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/office/disasters/{event_id}?updated=1"
    assert disaster_tasks(settings) == sorted([(world.properties["watched"], event_id),
                                               (world.properties["north"], event_id)])
    assert query(settings, "SELECT title, area FROM disaster_events") == [
        ("範囲拡大", f'{{"municipality_codes":["{MUNICIPALITY}"]}}')]
    assert count(settings, "audit_log", "action = 'disaster_event.update'") == 1
    assert "変更しました。新しく作った見回り作業: 1 件" in client.get(response.headers["location"]).text


def test_saving_the_form_unchanged_creates_nothing(client, world, settings):
    sign_in(client, "ueda")
    event_id = register(client)
    response = edit(client, event_id, occurred_at="2026-11-20T03:14:00")
    assert response.headers["location"] == f"/office/disasters/{event_id}?updated=0"
    assert len(disaster_tasks(settings)) == 1


def test_a_bad_radius_is_shown_on_the_form_and_nothing_changes(client, world, settings):
    sign_in(client, "ueda")
    event_id = register(client)
    before = query(settings, "SELECT * FROM disaster_events")
    response = edit(client, event_id, radius_m="-5", title="変更後")
    assert response.status_code == 400
    assert "半径は 0 より大きく" in response.text and 'value="変更後"' in response.text
    assert query(settings, "SELECT * FROM disaster_events") == before
    assert count(settings, "audit_log", "action = 'disaster_event.update'") == 0


def test_a_change_that_makes_it_another_registered_event_is_refused(client, world, settings):
    sign_in(client, "admin")
    register(client, area_type="municipality", municipality_codes=MUNICIPALITY)
    event_id = register(client)
    response = edit(client, event_id, area_type="municipality", municipality_codes=MUNICIPALITY)
    assert response.status_code == 409
    assert "同じ災害（種類・日時・範囲）が既に登録されています" in response.text
    assert query(settings, "SELECT area FROM disaster_events WHERE id = ?", event_id)[0][0].startswith('{"center"')


def test_a_clerk_cannot_edit_another_offices_event(client, world, settings):
    sign_in(client, "admin")
    event_id = register(client)
    sign_in(client, "kudo")
    assert client.get(f"/office/disasters/{event_id}/edit").status_code == 404
    response = post_form(client, f"/office/disasters/{event_id}/edit", {**FORM, "title": "乗っ取り"},
                         page="/office/disasters")
    assert response.status_code == 404
    assert query(settings, "SELECT title FROM disaster_events") == [("",)]


def test_a_carrier_cannot_open_the_edit_form(client, world):
    sign_in(client, "admin")
    event_id = register(client)
    sign_in(client, "aoki")
    assert client.get(f"/office/disasters/{event_id}/edit").status_code == 403


def test_a_clerk_who_sees_another_offices_event_still_cannot_edit_it(client, world, settings):
    sign_in(client, "ueda")
    event_id = register(client, area_type="municipality", municipality_codes=MUNICIPALITY, title="地震 千代田区")
    sign_in(client, "kudo")
    assert register(client, area_type="municipality", municipality_codes=MUNICIPALITY) == event_id  # the same event
    page = client.get(f"/office/disasters/{event_id}")
    assert page.status_code == 200 and f"/office/disasters/{event_id}/edit" not in page.text
    assert "登録した郵便局か管理者に依頼してください" in page.text
    assert client.get(f"/office/disasters/{event_id}/edit").status_code == 403
    response = post_form(client, f"/office/disasters/{event_id}/edit", {**FORM, "title": "乗っ取り"},
                         page="/office/disasters")
    assert response.status_code == 403 and "登録した郵便局か管理者に依頼してください" in response.text
    assert query(settings, "SELECT title FROM disaster_events") == [("地震 千代田区",)]
    sign_in(client, "admin")
    assert f"/office/disasters/{event_id}/edit" in client.get(f"/office/disasters/{event_id}").text
    assert edit(client, event_id, area_type="municipality", municipality_codes=MUNICIPALITY,
                title="管理者の訂正").status_code == 303
    assert query(settings, "SELECT title FROM disaster_events") == [("管理者の訂正",)]
