"""A contract of the test world's town (千代田区, office 10001) and the town's candidate lists, as CSV bytes."""

from __future__ import annotations

import asyncio

from server.db import database_for
from server.survey_candidates.service import import_candidate_file
from server.core.audit import SYSTEM

HEADER = "出典,住所,地番,家屋番号,用途,構造,建築年,延床面積,所有者氏名,所有者住所,所有者郵便番号\n"

# 水道: the world's house 一番町1-1 as the water bureau writes it; a near match of 二番町2-2; a house nobody knows.
WATER = HEADER + ("水道,千代田区一番町1-1,,,,,,,,,\n"
                  "水道,千代田区二番町2,,,,,,,,,\n"
                  "水道,千代田区六番町9-9,,,,,,,,,\n")
# 課税台帳: the same house 一番町1-1 in the ledger's notation, with its owner; 六番町 again with an owner
# whose postal code does not exist.
LEDGER = HEADER + ("課税台帳,東京都千代田区一番町一番地の一,101番1,101番1の1,専用住宅,木造,昭和50年,98.5,"
                   "千代田 一郎,東京都千代田区千代田1-1,100-0001\n"
                   "課税台帳,千代田区六番町９－９,,,,,,,六番 花子,大阪府大阪市北区梅田1-1,000-0000\n")


def contract(world) -> int:
    async def make(conn):
        cur = await conn.execute(
            """INSERT INTO survey_contracts (municipality_code, office_code, title, period_start, period_end,
               rubric_id, rubric_version, created_at, contract_no)
               VALUES ('131016', '10001', '令和8年度 空家等実態調査', '2026-04-01', '2027-03-31',
                       'municipal_survey', 2, '2026-04-01', '')""")
        return cur.lastrowid
    return on_db(world, lambda db: db.write(make))


def on_db(world, fn):
    async def run():
        async with database_for(world.db_path, readers=1) as db:
            return await fn(db)
    return asyncio.run(run())


def as_user(world, login: str, fn):
    """`fn(conn, user)` in one write transaction as the world's user `login`."""
    from server.users.queries import user_by_login

    async def run(db):
        async with db.read() as conn:
            user = await user_by_login(conn, login)
        return await db.write(lambda conn: fn(conn, user))
    return on_db(world, run)


def import_list(world, contract_id: int, text: str | bytes, encoding: str = "utf-8"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return on_db(world, lambda db: import_candidate_file(db, SYSTEM, None, contract_id, data))
