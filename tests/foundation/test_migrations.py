import asyncio
import sqlite3

from server.db import Database
from server.db.migrate import migration_files


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
    assert version == len(migration_files())
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


def test_each_migration_keeps_the_data_the_previous_one_made(tmp_path):
    """Apply migrations one at a time, with rows written between, and read them all back."""
    from server.db import connect
    from server.db.migrate import apply_migrations

    path = tmp_path / "stepwise.sqlite3"

    async def run():
        conn = await connect(path)
        try:
            await apply_migrations(conn, upto=1)
            await conn.execute("INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都')")
            await conn.execute(
                "INSERT INTO disaster_events (kind, occurred_at, area, created_at)"
                " VALUES ('typhoon', '2026-09-01T00:00:00+09:00', '{\"municipality_codes\": [\"131016\"]}', 'x')")
            final = await apply_migrations(conn)
            async with conn.execute("SELECT name FROM municipalities") as cur:
                names = [r[0] for r in await cur.fetchall()]
            async with conn.execute("SELECT kind, identity FROM disaster_events") as cur:
                events = await cur.fetchall()
            return final, names, events
        finally:
            await conn.close()

    final, names, events = asyncio.run(run())
    assert final == len(migration_files())
    assert names == ["千代田区"]
    assert events[0][0] == "typhoon" and events[0][1]  # 0002 gave the old event its identity


def test_the_other_event_type_migration_keeps_events_and_the_tasks_that_point_at_them(tmp_path):
    from server.db import connect
    from server.db.migrate import apply_migrations

    path = tmp_path / "other.sqlite3"
    before_other = next(n for n, p in migration_files() if p.name.endswith("_event_type_other.sql")) - 1

    async def run():
        conn = await connect(path)
        try:
            await apply_migrations(conn, upto=before_other)
            await conn.execute("INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都')")
            await conn.execute("INSERT INTO post_offices (code, name, municipality_code) VALUES ('10001', '局', '131016')")
            await conn.execute(
                "INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)"
                " VALUES ('h', '131016', '千代田区1', 35.6, 139.7, 'x', 'x')")
            await conn.execute(
                "INSERT INTO disaster_events (id, kind, occurred_at, area, created_at, identity)"
                " VALUES (7, 'typhoon', '2026-09-01T00:00:00+09:00', '{}', 'x', 'typhoon|a')")
            await conn.execute(
                "INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, disaster_event_id, due_date,"
                " created_at, updated_at) VALUES ('t', 'h', 'disaster', 'post_disaster', 1, 7, '2026-09-02', 'x', 'x')")
            await apply_migrations(conn)
            await conn.execute(
                "INSERT INTO disaster_events (kind, title, occurred_at, area, created_at, identity)"
                " VALUES ('other', '竜巻', '2026-10-01T00:00:00+09:00', '{}', 'x', 'other|b')")
            async with conn.execute("SELECT id, kind FROM disaster_events ORDER BY id") as cur:
                events = await cur.fetchall()
            async with conn.execute("PRAGMA foreign_key_check") as cur:
                broken = await cur.fetchall()
            async with conn.execute("PRAGMA integrity_check") as cur:
                broken += [r for r in await cur.fetchall() if r[0] != "ok"]
            async with conn.execute("SELECT sql FROM sqlite_master WHERE name = 'tasks'") as cur:
                tasks_sql = (await cur.fetchone())[0]
            try:
                await conn.execute("INSERT INTO disaster_events (kind, occurred_at, area, created_at, identity)"
                                   " VALUES ('meteor', 'x', '{}', 'x', 'm')")
                refused = False
            except sqlite3.IntegrityError:
                refused = True
            duplicate_refused = False
            try:
                await conn.execute("INSERT INTO disaster_events (kind, occurred_at, area, created_at, identity)"
                                   " VALUES ('other', 'x', '{}', 'x', 'other|b')")
            except sqlite3.IntegrityError:
                duplicate_refused = True
            return events, broken, tasks_sql, refused, duplicate_refused
        finally:
            await conn.close()

    events, broken, tasks_sql, refused, duplicate_refused = asyncio.run(run())
    assert [tuple(e) for e in events] == [(7, "typhoon"), (8, "other")]
    assert broken == [] and "REFERENCES disaster_events(id)" in tasks_sql
    assert refused and duplicate_refused


def test_the_report_photo_migration_keeps_inspection_photos_and_lets_a_report_own_one(tmp_path):
    from server.db import connect
    from server.db.migrate import apply_migrations

    path = tmp_path / "report_photo.sqlite3"
    before = next(n for n, p in migration_files() if p.name.endswith("_report_photo.sql")) - 1

    async def run():
        conn = await connect(path)
        try:
            await apply_migrations(conn, upto=before)
            await conn.execute("INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都')")
            await conn.execute("INSERT INTO post_offices (code, name, municipality_code) VALUES ('10001', '局', '131016')")
            await conn.execute("INSERT INTO users (id, login, name, role, password_hash, office_code, created_at)"
                               " VALUES (1, 'aoki', '青木', 'carrier', 'x', '10001', 'x')")
            for house in ("h", "r"):
                await conn.execute(
                    "INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)"
                    " VALUES (?, '131016', '千代田区1', 35.6, 139.7, 'x', 'x')", (house,))
            await conn.execute(
                "INSERT INTO inspections (id, property_id, rubric_id, rubric_version, kind, carrier_id, started_at,"
                " finished_at, answers, body_sha256, result, status, received_at)"
                " VALUES ('i', 'h', 'watch', 1, 'watch', 1, 'a', 'b', '{}', 's', '{}', 'submitted', 'c')")
            await conn.execute(
                "INSERT INTO photos (id, inspection_id, slot, sha256, received_at, phash, flags, heading)"
                " VALUES ('p1', 'i', 'front', 'abc', 't', 'ff00', '[\"no_gps\"]', 90.0)")
            await apply_migrations(conn)
            await conn.execute("INSERT INTO photos (id, property_id, slot, sha256) VALUES ('p2', 'r', 'report', 'def')")
            async with conn.execute(
                "SELECT id, inspection_id, property_id, slot, received_at, phash, flags, heading FROM photos ORDER BY id"
            ) as cur:
                rows = [tuple(r) for r in await cur.fetchall()]
            refused = []
            for values in (("p3", None, None), ("p4", "i", "r"), ("p5", None, "nowhere")):
                try:
                    await conn.execute("INSERT INTO photos (id, inspection_id, property_id, slot, sha256)"
                                       " VALUES (?, ?, ?, 'report', 'x')", values)
                    refused.append(False)
                except sqlite3.IntegrityError:
                    refused.append(True)
            async with conn.execute("PRAGMA foreign_key_check") as cur:
                broken = list(await cur.fetchall())
            async with conn.execute("PRAGMA integrity_check") as cur:
                broken += [r for r in await cur.fetchall() if r[0] != "ok"]
            async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos'"
                                    " AND sql IS NOT NULL ORDER BY name") as cur:
                indexes = [r[0] for r in await cur.fetchall()]
            async with conn.execute("SELECT id, reported_at FROM properties ORDER BY id") as cur:
                houses = [tuple(r) for r in await cur.fetchall()]
            return rows, refused, broken, indexes, houses
        finally:
            await conn.close()

    rows, refused, broken, indexes, houses = asyncio.run(run())
    assert houses == [("h", None), ("r", None)]  # earlier reports have no phone time
    assert rows == [("p1", "i", None, "front", "t", "ff00", '["no_gps"]', 90.0),
                    ("p2", None, "r", "report", None, None, "[]", None)]
    assert refused == [True, True, True]  # neither owner, both owners, an unknown house
    assert broken == []
    assert indexes == ["photos_inspection", "photos_phash", "photos_property"]
