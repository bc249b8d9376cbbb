import asyncio
import sqlite3

import pytest

from server.db import Database, connect
from server.db.migrate import apply_migrations, migration_files


def migration_named(name: str) -> int:
    """The number of the migration file NNNN_<name>.sql (numbers may change when branches merge)."""
    [number] = [n for n, path in migration_files() if path.stem[5:] == name]
    return number


@pytest.fixture
def migrate_through(tmp_path):
    """`migrate_through(number, rows=...)`: a new database brought to migration `number - 1` (or to
    `write_after`), `rows` (SQL statements) written into it, then migrated through `number`; an open
    connection to it, foreign keys enforced, each statement its own transaction."""
    opened: list[sqlite3.Connection] = []

    def migrate(number: int, rows: str = "", *, write_after: int | None = None) -> sqlite3.Connection:
        path = tmp_path / f"through-{number}.sqlite3"

        async def run():
            conn = await connect(path)
            try:
                assert await apply_migrations(conn, upto=number - 1 if write_after is None else write_after) < number
                await conn.executescript(rows)
                assert await apply_migrations(conn, upto=number) == number
            finally:
                await conn.close()

        asyncio.run(run())
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        opened.append(db)
        return db

    yield migrate
    for db in opened:
        db.close()


def broken(db: sqlite3.Connection) -> list:
    """What foreign_key_check and integrity_check find wrong."""
    return db.execute("PRAGMA foreign_key_check").fetchall() + [
        row for row in db.execute("PRAGMA integrity_check").fetchall() if row[0] != "ok"]


def refused(db: sqlite3.Connection, sql: str, params=()) -> bool:
    try:
        db.execute(sql, params)
    except sqlite3.IntegrityError:
        return True
    return False


def test_migrations_apply_to_an_empty_database_and_again_do_nothing(tmp_path):
    path = tmp_path / "new.sqlite3"

    async def open_twice():
        for _ in range(2):
            async with Database(path, readers=1):
                pass

    asyncio.run(open_twice())
    with sqlite3.connect(path) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert version == migration_files()[-1][0]
    assert {"municipalities", "post_offices", "users", "properties", "owners", "watch_subscriptions",
            "survey_contracts", "tasks", "inspections", "photos", "disaster_events", "generated_reports",
            "audit_log"} <= tables


def test_foreign_keys_are_enforced(tmp_path):
    async def insert_orphan():
        async with Database(tmp_path / "fk.sqlite3", readers=1) as db:
            async def orphan(conn):
                await conn.execute(
                    "INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, due_date, created_at, updated_at)"
                    " VALUES ('t', 'no-such-house', 'watch', 'watch_basic', 1, '2026-01-01', 'x', 'x')")
            await db.write(orphan)

    try:
        asyncio.run(insert_orphan())
    except sqlite3.IntegrityError as exc:
        assert "FOREIGN KEY" in str(exc)
    else:
        raise AssertionError("an orphan task was accepted")


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    async def run():
        async with Database(tmp_path / "rb.sqlite3", readers=1) as db:
            async def half(conn):
                await conn.execute("INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都')")
                raise RuntimeError("crash in the middle")
            try:
                await db.write(half)
            except RuntimeError:
                pass
            async with db.read() as conn:
                async with conn.execute("SELECT count(*) FROM municipalities") as cur:
                    return (await cur.fetchone())[0]

    assert asyncio.run(run()) == 0


def test_each_migration_keeps_the_data_the_previous_one_made(migrate_through):
    """Rows written after the first migration, read back after the last one."""
    last = migration_files()[-1][0]
    db = migrate_through(last, write_after=1, rows="""
        INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都');
        INSERT INTO disaster_events (kind, occurred_at, area, created_at)
            VALUES ('typhoon', '2026-09-01T00:00:00+09:00', '{"municipality_codes": ["131016"]}', 'x');""")
    assert db.execute("PRAGMA user_version").fetchone()[0] == last
    assert db.execute("SELECT name FROM municipalities").fetchall() == [("千代田区",)]
    [(kind, identity)] = db.execute("SELECT kind, identity FROM disaster_events").fetchall()
    assert kind == "typhoon" and identity  # 0002 gave the old event its identity


def test_the_other_event_type_migration_keeps_events_and_the_tasks_that_point_at_them(migrate_through):
    db = migrate_through(migration_named("event_type_other"), rows="""
        INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都');
        INSERT INTO post_offices (code, name, municipality_code) VALUES ('10001', '局', '131016');
        INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)
            VALUES ('h', '131016', '千代田区1', 35.6, 139.7, 'x', 'x');
        INSERT INTO disaster_events (id, kind, occurred_at, area, created_at, identity)
            VALUES (7, 'typhoon', '2026-09-01T00:00:00+09:00', '{}', 'x', 'typhoon|a');
        INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, disaster_event_id, due_date,
                           created_at, updated_at)
            VALUES ('t', 'h', 'disaster', 'post_disaster', 1, 7, '2026-09-02', 'x', 'x');""")
    db.execute("INSERT INTO disaster_events (kind, title, occurred_at, area, created_at, identity)"
               " VALUES ('other', '竜巻', '2026-10-01T00:00:00+09:00', '{}', 'x', 'other|b')")
    assert db.execute("SELECT id, kind FROM disaster_events ORDER BY id").fetchall() == [(7, "typhoon"), (8, "other")]
    assert broken(db) == []
    [(tasks_sql,)] = db.execute("SELECT sql FROM sqlite_master WHERE name = 'tasks'").fetchall()
    assert "REFERENCES disaster_events(id)" in tasks_sql
    assert refused(db, "INSERT INTO disaster_events (kind, occurred_at, area, created_at, identity)"
                       " VALUES ('meteor', 'x', '{}', 'x', 'm')")
    assert refused(db, "INSERT INTO disaster_events (kind, occurred_at, area, created_at, identity)"
                       " VALUES ('other', 'x', '{}', 'x', 'other|b')")


def test_the_report_photo_migration_keeps_inspection_photos_and_lets_a_report_own_one(migrate_through):
    db = migrate_through(migration_named("report_photo"), rows="""
        INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都');
        INSERT INTO post_offices (code, name, municipality_code) VALUES ('10001', '局', '131016');
        INSERT INTO users (id, login, name, role, password_hash, office_code, created_at)
            VALUES (1, 'aoki', '青木', 'carrier', 'x', '10001', 'x');
        INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)
            VALUES ('h', '131016', '千代田区1', 35.6, 139.7, 'x', 'x'), ('r', '131016', '千代田区1', 35.6, 139.7, 'x', 'x');
        INSERT INTO inspections (id, property_id, rubric_id, rubric_version, kind, carrier_id, started_at,
                                 finished_at, answers, body_sha256, result, status, received_at)
            VALUES ('i', 'h', 'watch', 1, 'watch', 1, 'a', 'b', '{}', 's', '{}', 'submitted', 'c');
        INSERT INTO photos (id, inspection_id, slot, sha256, received_at, phash, flags, heading)
            VALUES ('p1', 'i', 'front', 'abc', 't', 'ff00', '["no_gps"]', 90.0);""")
    db.execute("INSERT INTO photos (id, property_id, slot, sha256) VALUES ('p2', 'r', 'report', 'def')")
    assert db.execute("SELECT id, reported_at FROM properties ORDER BY id").fetchall() == [("h", None), ("r", None)]
    assert db.execute("SELECT id, inspection_id, property_id, slot, received_at, phash, flags, heading FROM photos"
                      " ORDER BY id").fetchall() == [("p1", "i", None, "front", "t", "ff00", '["no_gps"]', 90.0),
                                                    ("p2", None, "r", "report", None, None, "[]", None)]
    # earlier reports have no phone time (above); a photo has one owner: neither, both, an unknown house
    for values in (("p3", None, None), ("p4", "i", "r"), ("p5", None, "nowhere")):
        assert refused(db, "INSERT INTO photos (id, inspection_id, property_id, slot, sha256)"
                           " VALUES (?, ?, ?, 'report', 'x')", values), values
    assert broken(db) == []
    assert [name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos' AND sql IS NOT NULL ORDER BY name"
    )] == ["photos_inspection", "photos_phash", "photos_property"]


def test_the_photo_hash_parts_migration_indexes_the_hashes_already_stored(migrate_through):
    db = migrate_through(migration_named("photo_hash_parts"), rows="""
        INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都');
        INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)
            VALUES ('r', '131016', '千代田区1', 35.6, 139.7, 'x', 'x');
        INSERT INTO photos (id, property_id, slot, sha256, phash) VALUES
            ('p1', 'r', 'report', 'a', '0123456789abcdef'), ('p2', 'r', 'report', 'b', 'FEDCBA9876543210'),
            ('p3', 'r', 'report', 'c', 'ffffffffffffffff'), ('p4', 'r', 'report', 'd', NULL);""")
    stored = db.execute("SELECT phash, phash_a, phash_b, phash_c FROM photos ORDER BY id").fetchall()
    assert stored == [("0123456789abcdef", 0x012345, 0x6789a, 0xbcdef), ("FEDCBA9876543210", 0xfedcba, 0x98765, 0x43210),
                      ("ffffffffffffffff", 0xffffff, 0xfffff, 0xfffff), (None, None, None, None)]
    assert {"photos_phash_a", "photos_phash_b", "photos_phash_c"} <= {name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos'")}


def test_the_subscription_dates_migration_reports_bad_days_and_refuses_new_ones(migrate_through):
    db = migrate_through(migration_named("subscription_dates"), rows="""
        INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都');
        INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)
            VALUES ('h', '131016', '千代田区1', 35.6, 139.7, 'x', 'x');
        INSERT INTO owners (id, name, address, report_delivery, created_at) VALUES (1, '所有者', '', 'web', 'x');
        INSERT INTO watch_subscriptions (id, property_id, owner_id, start_date, end_date, created_at, updated_at)
            VALUES (1, 'h', 1, '2026-04-01', '2026-10-31', 'x', 'x'), (2, 'h', 1, 'abc', NULL, 'x', 'x'),
                   (3, 'h', 1, '2026-11-01', '2026/07/01', 'x', 'x'), (4, 'h', 1, '2026-02-30', NULL, 'x', 'x');""")
    reported = db.execute("SELECT entity_id, details FROM audit_log WHERE action = 'subscription.bad_date'"
                          " ORDER BY entity_id").fetchall()
    assert reported == [("2", '{"start_date":"abc","end_date":null}'),
                        ("3", '{"start_date":"2026-11-01","end_date":"2026/07/01"}'),
                        ("4", '{"start_date":"2026-02-30","end_date":null}')]
    assert db.execute("SELECT count(*) FROM watch_subscriptions").fetchone() == (4,)  # nothing changed or lost
    # SQLite's integrity_check names them too, until a clerk corrects them; nothing else is wrong.
    assert broken(db) == [("CHECK constraint failed in watch_subscriptions",)] * 3
    for day in ("abc", "2026-02-30", "2026/07/01", "<script>x", "2026-7-1"):
        assert refused(db, "UPDATE watch_subscriptions SET end_date = ? WHERE id = 1", (day,)), day
    db.execute("UPDATE watch_subscriptions SET end_date = '2026-11-30' WHERE id = 1")


@pytest.mark.parametrize("names", [("0001_a.sql", "0003_c.sql"), ("0001_a.sql", "0002_b.sql", "0002_other.sql"),
                                   ("0002_b.sql",)])
def test_migrations_numbered_with_a_gap_or_twice_are_refused(tmp_path, monkeypatch, names):
    """Applied migrations are tracked by the last number: a 0002 merged after 0003 would never run."""
    from server.db import migrate

    for name in names:
        (tmp_path / name).write_text("SELECT 1;")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", tmp_path)
    with pytest.raises(RuntimeError, match="without gaps"):
        migration_files()


def test_the_shipped_migrations_are_numbered_one_by_one():
    assert [n for n, _ in migration_files()] == list(range(1, len(migration_files()) + 1))
