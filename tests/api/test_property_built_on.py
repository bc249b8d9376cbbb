"""A house's 建築年月日 from the ledger (migration built_on) on both databases: a year, a month or a day is kept
as given; anything else (a 和暦 string, a day without a month, an empty string) is refused."""

import asyncio

import pytest


def _write(world, built_on):
    from server.db import database_for

    async def run():
        async with database_for(world.db_path, readers=1) as db:
            async def update(conn):
                await conn.execute("UPDATE properties SET built_on = ? WHERE id = ?", (built_on, world.properties["north"]))
            await db.write(update)
            async with db.read() as conn:
                return await _read(conn, world.properties["north"])
    return asyncio.run(run())


async def _read(conn, property_id):
    async with conn.execute("SELECT built_on FROM properties WHERE id = ?", (property_id,)) as cur:
        return (await cur.fetchone())[0]


@pytest.mark.parametrize("built_on", ["1975", "1981-05", "1981-05-31", None])
def test_a_year_a_month_or_a_day_is_kept_as_given(world, built_on):
    assert _write(world, built_on) == built_on


@pytest.mark.parametrize("built_on", ["S56", "昭和56年", "1981/05/31", "81-05", "1981-5-31", ""])
def test_any_other_form_is_refused(world, built_on):
    with pytest.raises(Exception, match="(?i)check"):
        _write(world, built_on)

