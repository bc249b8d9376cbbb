"""Pages and photos show each person only what is theirs: others' records are 404, as in the API."""

import pytest

from tests.office.db import query
from tests.office.pages import sign_in
from tests.support.field import survey_visit, watch_visit
from tests.support.handover import hand_over


@pytest.fixture
def photographed(as_, world):
    """Aoki's watch visit at Ono's house, with its photos stored."""
    visit = watch_visit(world)
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_("aoki"))) == {201}
    return visit


def test_the_clerk_of_the_house_sees_its_page_and_thumbnails(client, world, photographed):
    sign_in(client, "ueda")
    page = client.get(f"/office/properties/{world.properties['watched']}")
    assert page.status_code == 200
    photo_id = next(iter(photographed.photos))
    assert f"/office/photos/{photo_id}/thumb" in page.text
    thumb = client.get(f"/office/photos/{photo_id}/thumb")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert thumb.content[:2] == b"\xff\xd8"


def test_another_offices_clerk_gets_404_for_the_house_and_its_photos(client, world, photographed):
    sign_in(client, "kudo")
    assert client.get(f"/office/properties/{world.properties['watched']}").status_code == 404
    photo_id = next(iter(photographed.photos))
    assert client.get(f"/office/photos/{photo_id}/thumb").status_code == 404
    assert client.get(f"/office/photos/{photo_id}/report").status_code == 404
    assert client.get(f"/office/review/{photographed.id}").status_code == 404


def test_an_owner_sees_photos_of_their_house_only_once_approved(client, as_, world, photographed):
    photo_id = next(iter(photographed.photos))
    sign_in(client, "ono")
    assert client.get(f"/office/photos/{photo_id}/thumb").status_code == 404
    assert as_("ueda").post(f"/api/v1/inspections/{photographed.id}/review",
                            json={"decision": "approve"}).status_code == 200
    assert client.get(f"/office/photos/{photo_id}/thumb").status_code == 200


def test_another_owner_gets_404_for_the_photos(client, as_, world, photographed):
    as_("ueda").post(f"/api/v1/inspections/{photographed.id}/review", json={"decision": "approve"})
    sign_in(client, "oda")
    assert client.get(f"/office/photos/{next(iter(photographed.photos))}/thumb").status_code == 404


def test_an_owner_home_lists_only_their_own_house(client, world):
    sign_in(client, "ono")
    page = client.get("/office/").text
    assert "一番町1-1" in page and "神田三崎町3-3" not in page


def test_an_owner_cannot_open_office_pages(client, world):
    sign_in(client, "ono")
    assert client.get(f"/office/properties/{world.properties['watched']}").status_code == 403
    assert client.get("/office/subscriptions").status_code == 403


def test_the_municipal_officer_sees_no_owners_or_watch_data(client, world):
    sign_in(client, "mori")
    assert client.get("/office/subscriptions").status_code == 403
    assert client.get(f"/office/properties/{world.properties['watched']}").status_code == 403
    assert "小野" not in client.get("/office/").text


def test_a_clerk_cannot_change_another_offices_subscription(client, world):
    from tests.office.pages import post_form

    sub_id = query_sub(world, "oda")
    sign_in(client, "ueda")
    assert client.get(f"/office/subscriptions/{sub_id}").status_code == 404
    assert post_form(client, f"/office/subscriptions/{sub_id}/pause").status_code == 404


def query_sub(world, owner):
    return query(type("S", (), {"db": world.db_path}), "SELECT id FROM watch_subscriptions WHERE owner_id = ?",
                 world.owners[owner])[0][0]


def test_personal_data_never_reaches_the_log(client, world, caplog):
    sign_in(client, "ueda")
    with caplog.at_level("DEBUG", logger="akiya"):
        client.get("/office/subscriptions")
        client.get(f"/office/properties/{world.properties['watched']}")
    assert "ono@example.jp" not in caplog.text and "小野" not in caplog.text


def test_after_the_house_changed_hands_each_owner_opens_only_their_own_photos(client, as_, world):
    handover = hand_over(world, as_)
    mine = {"ono": handover.october, "oda": handover.november}
    for owner, visit in mine.items():
        sign_in(client, owner)
        for other_owner, other in mine.items():
            for photo_id in other.photos:
                for size in ("thumb", "report"):
                    expected = 200 if other_owner == owner else 404
                    assert client.get(f"/office/photos/{photo_id}/{size}").status_code == expected, (owner, size)


def test_after_the_house_changed_hands_each_owners_page_lists_only_their_own_months(client, as_, world):
    handover = hand_over(world, as_)
    sign_in(client, "ono")
    page = client.get("/office/").text
    assert "2026年10月の報告書" in page and "2026年11月" not in page
    sign_in(client, "oda")
    page = client.get("/office/").text
    assert "2026年11月の報告書" in page and "2026年10月" not in page
    assert handover.october.id not in page


def test_owners_and_municipal_officers_see_photos_of_approved_records_only(client, as_, world):
    visit = survey_visit(world)
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_("aoki"))) == {201}
    photo_id = next(iter(visit.photos))
    sign_in(client, "mori")
    assert client.get(f"/office/photos/{photo_id}/thumb").status_code == 404
    as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"})
    assert client.get(f"/office/photos/{photo_id}/thumb").status_code == 200
