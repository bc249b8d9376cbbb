"""A small world of named personas and their records, for API tests.

Two post offices in 千代田区: 中央局 (carrier Aoki, clerk Ueda) and 北局 (carrier Kato, clerk Kudo);
a municipal officer (Mori), two owners (Ono: the house 1-1, Oda: the house 3-3), an admin.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from server.core.audit import SYSTEM
from server.auth.passwords import hash_password
from server.core.clock import today_jst
from server.db import database_for, is_postgres_url
from server.properties.queries import add_municipality, add_post_office, insert_property
from server.tasks.queries import add_task
from server.users.queries import add_user

PASSWORD = "correct-horse-1"
MUNICIPALITY = "131016"

PEOPLE = {
    # login: (role, name, office)
    "aoki": ("carrier", "青木 一郎", "10001"),
    "kato": ("carrier", "加藤 二郎", "10002"),
    "ueda": ("office", "上田 花子", "10001"),
    "kudo": ("office", "工藤 桜", "10002"),
    "mori": ("municipality", "森 健", None),
    "admin": ("admin", "管理者", None),
}


# scrypt's cost for the personas' password: 2**10 instead of the server's 2**14. Logging in verifies
# it through the same code (the cost is read from the hash), in ~1 ms instead of ~50 ms: the suite
# signs in a few thousand times. tests/foundation/test_password_hashes.py checks the server's own hashes.
TEST_COST = 2**10


@functools.cache
def password_hash() -> str:
    """PASSWORD's scrypt hash, computed once per test process; logging in still verifies it."""
    return hash_password(PASSWORD, n=TEST_COST)


@dataclass
class World:
    db_path: Path | str  # a SQLite file, or a postgresql:// URL (AKIYA_TEST_DB=postgres)
    users: dict[str, int] = field(default_factory=dict)
    owners: dict[str, int] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)


async def _build(conn, world: World) -> None:
    await add_municipality(conn, SYSTEM, MUNICIPALITY, "千代田区", "東京都")
    await add_post_office(conn, SYSTEM, code="10001", name="中央郵便局", municipality_code=MUNICIPALITY,
                          address="東京都千代田区丸の内2-7-2", phone="03-0000-0001", lat=35.6800, lon=139.7650)
    await add_post_office(conn, SYSTEM, code="10002", name="北郵便局", municipality_code=MUNICIPALITY,
                          address="東京都千代田区神田1-1", phone="03-0000-0002", lat=35.6950, lon=139.7700)
    for login, (role, name, office) in PEOPLE.items():
        world.users[login] = await add_user(
            conn, SYSTEM, login=login, name=name, role=role, password=PASSWORD, password_hash=password_hash(), office_code=office,
            municipality_code=MUNICIPALITY if role == "municipality" else None)
    for key, name in (("ono", "小野 和子"), ("oda", "織田 信子")):
        cur = await conn.execute(
            "INSERT INTO owners (name, address, email, report_delivery, created_at) VALUES (?, ?, ?, 'web', '2026-01-01')",
            (name, "大阪府大阪市北区1-1", f"{key}@example.jp"))
        world.owners[key] = cur.lastrowid
        world.users[key] = await add_user(conn, SYSTEM, login=key, name=name, role="owner", password=PASSWORD,
                                          password_hash=password_hash(), owner_id=cur.lastrowid)
    houses = {
        "watched": ("10001", "東京都千代田区一番町1-1", 35.6870, 139.7400, "aoki"),
        "surveyed": ("10001", "東京都千代田区二番町2-2", 35.6880, 139.7380, "aoki"),
        "north": ("10002", "東京都千代田区神田三崎町3-3", 35.7000, 139.7550, "kato"),
    }
    for key, (office, address, lat, lon, carrier) in houses.items():
        world.properties[key] = await insert_property(
            conn, municipality_code=MUNICIPALITY, office_code=office, address=address, lat=lat, lon=lon,
            district=address[7:10], usual_carrier_id=world.users[carrier])
    for owner, house in (("ono", "watched"), ("oda", "north")):
        cur = await conn.execute(
            """INSERT INTO watch_subscriptions (property_id, owner_id, options, start_date, created_at, updated_at)
               VALUES (?, ?, '["airing", "disaster"]', '2026-01-01', '2026-01-01', '2026-01-01')""",
            (world.properties[house], world.owners[owner]))
        await conn.executemany(  # the dated options are the truth (server/menu/queries.py); the column mirrors them
            """INSERT INTO subscription_options (subscription_id, service_key, start_date, created_at)
               VALUES (?, ?, '2026-01-01', '2026-01-01')""", [(cur.lastrowid, "airing"), (cur.lastrowid, "disaster")])
    due = today_jst().isoformat()
    world.tasks["watch"] = await add_task(
        conn, SYSTEM, property_id=world.properties["watched"], kind="watch", rubric_id="watch_basic",
        rubric_version=1, due_date=due, assignee_id=world.users["aoki"], options=["airing"])
    world.tasks["survey"] = await add_task(
        conn, SYSTEM, property_id=world.properties["surveyed"], kind="survey", rubric_id="municipal_survey",
        rubric_version=1, due_date=due, assignee_id=world.users["aoki"])
    world.tasks["north"] = await add_task(
        conn, SYSTEM, property_id=world.properties["north"], kind="watch", rubric_id="watch_basic",
        rubric_version=1, due_date=due, assignee_id=world.users["kato"])


@functools.cache
def _migrated_sqlite() -> Path:
    """An empty SQLite database with every migration applied, made once per test process. A world on a
    new SQLite file starts from a copy of it, as on PostgreSQL from a copy of the migrated template
    (tests/support/backends.py): migrating each file cost ~30 ms of CPU and ~60 ms. Migrations
    themselves are tested on fresh files (tests/foundation/test_migrations.py)."""
    folder = Path(tempfile.mkdtemp(prefix="akiya-migrated-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "akiya.sqlite3"

    async def migrate():
        async with database_for(path, readers=1):
            pass

    asyncio.run(migrate())
    assert not path.with_name(path.name + "-wal").exists(), "the closed template left a WAL behind"
    return path


def build_world(db_path: Path | str) -> World:
    world = World(db_path)
    if not is_postgres_url(db_path) and not Path(db_path).exists():
        shutil.copyfile(_migrated_sqlite(), db_path)

    async def run():
        async with database_for(db_path, readers=1) as db:
            await db.write(_build, world)

    asyncio.run(run())
    return world
