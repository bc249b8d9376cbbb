"""The survey identifiers migration numbers houses already under contract once, keeping their data."""

import asyncio

from server.db import connect
from server.db.migrate import apply_migrations, migration_files

NUMBER = next(n for n, path in migration_files() if path.name.endswith("_survey_identifiers.sql"))


def test_houses_already_under_contract_get_a_reference_number_in_report_order(tmp_path):
    async def run():
        conn = await connect(tmp_path / "ids.sqlite3")
        try:
            await apply_migrations(conn, upto=NUMBER - 1)
            await conn.executescript("""
                INSERT INTO municipalities VALUES ('207012', '青葉川町', '長野県');
                INSERT INTO post_offices (code, name, municipality_code) VALUES ('48101', '青葉川郵便局', '207012');
                INSERT INTO properties (id, municipality_code, district, address, created_at, updated_at) VALUES
                  ('p-b', '207012', '北町', '北町2-1', 'x', 'x'),
                  ('p-a', '207012', '北町', '北町1-1', 'x', 'x'),
                  ('p-c', '207012', '南町', '南町1-1', 'x', 'x');
                INSERT INTO survey_contracts (id, municipality_code, office_code, title, period_start, period_end,
                                              rubric_id, rubric_version, created_at)
                  VALUES (1, '207012', '48101', 'R8 調査', '2026-01-01', '2026-03-31', 'municipal_survey', 1, 'x'),
                         (2, '207012', '48101', 'R9 調査', '2027-01-01', '2027-03-31', 'municipal_survey', 1, 'x');
                INSERT INTO contract_properties (contract_id, property_id) VALUES
                  (1, 'p-c'), (1, 'p-b'), (1, 'p-a'), (2, 'p-b');
            """)
            await apply_migrations(conn, upto=NUMBER)
            async with conn.execute(
                    "SELECT contract_id, property_id, ref FROM contract_properties ORDER BY contract_id, ref") as cur:
                refs = [tuple(r) for r in await cur.fetchall()]
            async with conn.execute("SELECT address, ledger_no, chiban, kaoku_no FROM properties ORDER BY id") as cur:
                houses = [tuple(r) for r in await cur.fetchall()]
            async with conn.execute("SELECT title, contract_no, houses_in_area FROM survey_contracts") as cur:
                contracts = [tuple(r) for r in await cur.fetchall()]
            return refs, houses, contracts
        finally:
            await conn.close()

    refs, houses, contracts = asyncio.run(run())
    assert refs == [(1, "p-a", 1), (1, "p-b", 2), (1, "p-c", 3), (2, "p-b", 1)]
    assert houses == [("北町1-1", "", "", ""), ("北町2-1", "", "", ""), ("南町1-1", "", "", "")]
    assert contracts == [("R8 調査", "", None), ("R9 調査", "", None)]


def test_a_house_added_to_a_contract_later_gets_the_next_number_whoever_adds_it(tmp_path):
    async def run():
        conn = await connect(tmp_path / "later.sqlite3")
        try:
            await apply_migrations(conn)
            await conn.executescript("""
                INSERT INTO municipalities VALUES ('207012', '青葉川町', '長野県');
                INSERT INTO post_offices (code, name, municipality_code) VALUES ('48101', '青葉川郵便局', '207012');
                INSERT INTO properties (id, municipality_code, address, created_at, updated_at) VALUES
                  ('p-1', '207012', 'A', 'x', 'x'), ('p-2', '207012', 'B', 'x', 'x'), ('p-3', '207012', 'C', 'x', 'x');
                INSERT INTO survey_contracts (id, municipality_code, office_code, title, period_start, period_end,
                                              rubric_id, rubric_version, created_at)
                  VALUES (1, '207012', '48101', 'R8', '2026-01-01', '2026-03-31', 'municipal_survey', 2, 'x');
                INSERT INTO contract_properties (contract_id, property_id) VALUES (1, 'p-3'), (1, 'p-1');
                INSERT INTO contract_properties (contract_id, property_id) VALUES (1, 'p-2');
            """)
            async with conn.execute("SELECT property_id, ref FROM contract_properties ORDER BY ref") as cur:
                return [tuple(r) for r in await cur.fetchall()]
        finally:
            await conn.close()

    assert asyncio.run(run()) == [("p-3", 1), ("p-1", 2), ("p-2", 3)]
