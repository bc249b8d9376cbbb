"""A survey contract on a given form with its houses surveyed and approved through the API, for the tests of
the survey's documents (the 利活用判定 chapter, the GIS exports, the 空き家カルテ). Visits are dated WHEN."""

import asyncio
from datetime import datetime

from server.core.clock import JST
from tests.support.field import Visit

WHEN = datetime(2026, 6, 15, 10, 0, tzinfo=JST)


def db_write(world, fn):
    from server.db import database_for

    async def run():
        async with database_for(world.db_path, readers=1) as db:
            return await db.write(fn)
    return asyncio.run(run())


def survey_contract(world, version: int, built: dict[str, str | None]) -> int:
    """A contract on survey form `version` over the houses of `built` (house -> the ledger's 建築年月日)."""
    async def make(conn):
        cur = await conn.execute(
            """INSERT INTO survey_contracts (municipality_code, office_code, title, period_start, period_end,
               rubric_id, rubric_version, created_at, contract_no)
               VALUES ('131016', '10001', '令和8年度 空家等実態調査', '2026-04-01', '2027-03-31',
                       'municipal_survey', ?, '2026-04-01', '千代田区契第8-22号')""", (version,))
        for house, built_on in built.items():
            await conn.execute("INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)",
                               (cur.lastrowid, world.properties[house]))
            await conn.execute("UPDATE properties SET built_on = ? WHERE id = ?", (built_on, world.properties[house]))
        return cur.lastrowid
    return db_write(world, make)


def surveyed(as_, world, house: str, carrier: str, clerk: str, version: int, overrides: dict) -> None:
    from server.core.audit import SYSTEM
    from server.tasks.queries import add_task

    async def task(conn):
        return await add_task(conn, SYSTEM, property_id=world.properties[house], kind="survey",
                              rubric_id="municipal_survey", rubric_version=version, due_date="2027-03-31",
                              assignee_id=world.users[carrier])
    lat, lon = {"surveyed": (35.6880, 139.7380), "north": (35.7000, 139.7550), "watched": (35.6870, 139.7400)}[house]
    visit = Visit(property_id=world.properties[house], rubric_id="municipal_survey", task_id=db_write(world, task),
                  rubric_version=version, overrides=overrides, lat=lat, lon=lon, finished=WHEN,
                  photo_seed=len(house)).add_photos_the_answers_need()
    phone = as_(carrier)
    assert phone.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(phone)) == {201}
    assert as_(clerk).post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200


def v3_contract(world, as_) -> int:
    """二番町 built the day before 新耐震基準 (修繕); 神田三崎町 built on that day, markedly tilted (除却);
    一番町 with no 建築年 in the ledger and its road 接道なし・不明 (判定不能)."""
    contract = survey_contract(world, 3, {"surveyed": "1981-05-31", "north": "1981-06-01", "watched": None})
    surveyed(as_, world, "surveyed", "aoki", "ueda", 3, {})
    surveyed(as_, world, "north", "kato", "kudo", 3, {"tilt": "marked"})
    surveyed(as_, world, "watched", "aoki", "ueda", 3, {"road_access": "none_or_unknown"})
    return contract
