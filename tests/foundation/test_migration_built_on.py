"""Migration built_on: houses already recorded keep their data and have no 建築年月日 until the ledger gives one
(what the column accepts is tests/api/test_property_built_on.py, on both databases)."""

from tests.foundation.test_migrations import migrate_through, migration_named  # noqa: F401 (fixture)


def test_houses_recorded_before_keep_their_data_and_have_no_date(migrate_through):  # noqa: F811
    number = migration_named("built_on")
    db = migrate_through(number, """
        INSERT INTO municipalities (code, name, prefecture) VALUES ('131016', '千代田区', '東京都');
        INSERT INTO properties (id, municipality_code, address, created_at, updated_at)
        VALUES ('h1', '131016', '東京都千代田区一番町1-1', 'x', 'x');""")
    assert db.execute("SELECT address, built_on FROM properties").fetchall() == [("東京都千代田区一番町1-1", None)]
