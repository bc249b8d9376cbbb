"""The retention migration keeps every contract's owners and gives each the default 保存期限 (its end + 1 year),
which follows the contract's end until the town sets a day of its own."""

import asyncio

from server.db import connect
from server.db.migrate import apply_migrations, migration_files
from server.owner_data.queries import retention_of
from server.owner_data.retention import keep_until

NUMBER = next(n for n, path in migration_files() if path.name.endswith("_owner_data_retention.sql"))


def test_contracts_made_before_keep_their_owners_until_a_year_after_their_end(tmp_path):
    async def run():
        conn = await connect(tmp_path / "retention.sqlite3")
        try:
            await apply_migrations(conn, upto=NUMBER - 1)
            await conn.executescript("""
                INSERT INTO municipalities VALUES ('207012', '青葉川町', '長野県');
                INSERT INTO post_offices (code, name, municipality_code) VALUES ('48101', '青葉川郵便局', '207012');
                INSERT INTO survey_contracts (id, municipality_code, office_code, title, period_start, period_end,
                                              rubric_id, rubric_version, created_at)
                  VALUES (1, '207012', '48101', 'R7 調査', '2027-04-01', '2028-02-29', 'municipal_survey', 3, 'x');
                INSERT INTO survey_candidates (id, contract_id, merge_key, address, address_key, match_state, created_at)
                  VALUES (1, 1, 'a:北町1-1', '北町1-1', '北町1-1', 'new', 'x');
                INSERT INTO candidate_owners (candidate_id, name, address, postal_code, source)
                  VALUES (1, '北 一郎', '長野県青葉川町北町1-1', '3990000', '課税台帳');
            """)
            await apply_migrations(conn, upto=NUMBER)
            before = await retention_of(conn, None, 1)
            await conn.execute("UPDATE survey_contracts SET period_end = '2028-03-31' WHERE id = 1")
            return before, await retention_of(conn, None, 1)
        finally:
            await conn.close()

    before, moved = asyncio.run(run())
    assert (before.owners, before.deleted_at, before.keep_until_set) == (1, None, None)
    assert str(keep_until(before)) == "2029-02-28"  # a 29 February end keeps to 28 February
    assert str(keep_until(moved)) == "2029-03-31"
