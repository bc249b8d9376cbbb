"""A survey contract's progress reads the same to the town and to the office, each count with its meaning
(承認済み / 調査済み・確認待ち / 未調査), and the municipal officer has a map of the contract's houses."""

import asyncio
import re
from datetime import datetime

import pytest

from server.core.clock import JST, stopped_at
from tests.office.pages import sign_in
from tests.support.field import Visit

WHEN = datetime(2026, 6, 15, 10, 0, tzinfo=JST)  # inside the contract's period: no test reads today's date


@pytest.fixture(autouse=True)
def an_hour_after_the_visits():
    """The server's clock stands at 2026-06-15 11:00 JST for the whole test (the world's tasks too)."""
    with stopped_at(datetime(2026, 6, 15, 11, 0, tzinfo=JST)):
        yield


def _contract(world) -> int:
    from server.db import database_for

    async def make(conn):
        cur = await conn.execute(
            """INSERT INTO survey_contracts (municipality_code, office_code, title, period_start, period_end,
               rubric_id, rubric_version, created_at, contract_no)
               VALUES ('131016', '10001', '令和8年度 空家等実態調査', '2026-04-01', '2027-03-31',
                       'municipal_survey', 2, '2026-04-01', '')""")
        for key in ("surveyed", "north"):
            await conn.execute("INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)",
                               (cur.lastrowid, world.properties[key]))
        return cur.lastrowid

    async def run():
        async with database_for(world.db_path, readers=1) as db:
            return await db.write(make)
    return asyncio.run(run())


def _submitted_survey(world, as_) -> Visit:
    visit = Visit(property_id=world.properties["surveyed"], rubric_id="municipal_survey",
                  task_id=world.tasks["survey"], lat=35.6880, lon=139.7380, finished=WHEN,
                  overrides={"falling_risk": True})
    phone = as_("aoki")
    assert phone.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(phone)) == {201}
    return visit


def _progress(client, login: str, contract: int) -> str:
    sign_in(client, login)
    page = client.get(f"/office/contracts/{contract}")
    assert page.status_code == 200
    return re.sub(r"\s+", " ", re.search(r"<dt>進み具合</dt><dd>(.*?)</dd>", page.text, re.S)[1])


def test_the_town_and_the_office_see_the_same_counts_each_with_its_meaning(client, world, as_):
    contract = _contract(world)
    visit = _submitted_survey(world, as_)
    before = "承認済み 0 ／ 調査済み・確認待ち 1 ／ 未調査 1（全 2 件） 指摘あり 0"
    assert _progress(client, "mori", contract) == _progress(client, "ueda", contract) == before
    sign_in(client, "mori")
    assert "調査済み・確認待ち：配達員の調査は済み、郵便局の確認を待っているもの" in client.get(
        f"/office/contracts/{contract}").text
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    after = "承認済み 1 ／ 調査済み・確認待ち 0 ／ 未調査 1（全 2 件） 指摘あり 1"
    assert _progress(client, "mori", contract) == _progress(client, "ueda", contract) == after


def test_the_municipal_officer_has_a_map_of_the_contracts_houses_only(client, world, as_):
    contract = _contract(world)
    visit = _submitted_survey(world, as_)
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    sign_in(client, "mori")
    assert client.get("/office/contracts").text.count(f'/office/contracts/{contract}/map"') == 1
    page = client.get(f"/office/contracts/{contract}/map")
    assert page.status_code == 200 and "所見あり" in page.text
    assert f'data-source="/office/contracts/{contract}/map/houses.json"' in page.text
    houses = client.get(f"/office/contracts/{contract}/map/houses.json").json()
    by_label = {h["label"]: h for h in houses}
    assert set(by_label) == {"東京都千代田区二番町2-2（所見あり）", "東京都千代田区神田三崎町3-3（結果なし（未調査・確認待ち））"}
    assert all("href" not in h for h in houses)  # the town has no house pages to go to
    sign_in(client, "ueda")
    office = client.get(f"/office/contracts/{contract}/map/houses.json").json()
    assert all(h["href"].startswith("/office/properties/") for h in office)


def test_someone_outside_the_contract_gets_no_map(client, world):
    contract = _contract(world)
    sign_in(client, "ono")
    assert client.get(f"/office/contracts/{contract}/map/houses.json").status_code in (403, 404)


def test_a_first_form_survey_on_the_contract_page_is_never_given_a_futyoudo_label(client, world, as_):
    from tests.support.answers import minimal_answers
    from tests.support.field import RUBRICS

    contract = _contract(world)
    visit = Visit(property_id=world.properties["surveyed"], rubric_id="municipal_survey",
                  task_id=world.tasks["survey"], lat=35.6880, lon=139.7380, finished=WHEN)
    v1 = RUBRICS.get("municipal_survey", 1)
    visit.inspection.update(rubric_version=1, answers=minimal_answers(v1, (), {"falling_risk": True,
                                                                              "structure": "major"}))
    phone = as_("aoki")
    assert phone.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(phone)) == {201}
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    sign_in(client, "mori")
    page = client.get(f"/office/contracts/{contract}").text
    assert "（第1版の合計点。不良度は算定していません）" in page
    assert "不良度100以上" not in page and "不良度50〜99" not in page
