"""The review page warns the clerk when the municipality's ledger (構造・用途) disagrees with the survey."""

from datetime import datetime

import pytest

from server.core.clock import JST, stopped_at
from tests.office.db import execute
from tests.office.pages import sign_in
from tests.support.field import Visit

WHEN = datetime(2026, 6, 15, 10, 0, tzinfo=JST)


@pytest.fixture(autouse=True)
def an_hour_after_the_visits():
    """The server's clock stands at 2026-06-15 11:00 JST for the whole test (the world's tasks too)."""
    with stopped_at(datetime(2026, 6, 15, 11, 0, tzinfo=JST)):
        yield


def _submitted_survey(world, as_, **overrides) -> Visit:
    visit = Visit(property_id=world.properties["surveyed"], rubric_id="municipal_survey",
                  task_id=world.tasks["survey"], lat=35.6880, lon=139.7380, finished=WHEN, overrides=overrides)
    aoki = as_("aoki")
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(aoki)) == {201}
    return visit


def test_a_shop_of_steel_frame_answered_as_a_timber_house_is_flagged_to_the_clerk(client, settings, world, as_):
    execute(settings, "UPDATE properties SET building_use = '店舗', structure = '鉄骨造' WHERE id = ?",
            world.properties["surveyed"])
    visit = _submitted_survey(world, as_, structure_type="wooden")
    sign_in(client, "ueda")
    page = client.get(f"/office/review/{visit.id}").text
    assert "台帳と相違" in page
    assert "構造：台帳は鉄骨造、調査の回答は木造" in page
    assert "用途：台帳は店舗（不良度の別表第1は住宅の基準です）" in page


def test_a_survey_that_agrees_with_the_ledger_carries_no_warning(client, settings, world, as_):
    execute(settings, "UPDATE properties SET building_use = '専用住宅', structure = '木造' WHERE id = ?",
            world.properties["surveyed"])
    visit = _submitted_survey(world, as_, structure_type="wooden")
    sign_in(client, "ueda")
    assert "台帳と相違" not in client.get(f"/office/review/{visit.id}").text
