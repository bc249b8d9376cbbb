"""Leases (server/core/leases.py): a named job held by one process at a time, taken over once it expires.
Each test runs on SQLite and on PostgreSQL (the server at 127.0.0.1:5432, tests/support/backends.py)."""

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest

from server.core.clock import iso, now
from server.db import database_for
from server.core.leases import holder_of, release, renew, run_exclusively, try_take
from tests.support.backends import fresh_postgres_url, postgres_template, postgres_url  # noqa: F401 (fixtures)

T0 = datetime(2026, 12, 1, 0, 5, tzinfo=timezone.utc)
A, B = "host-101-aaaa", "host-202-bbbb"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path):
    """What AKIYA_DB would say: a SQLite file, or a migrated PostgreSQL database of this test's own."""
    if request.param == "postgres":
        return request.getfixturevalue("fresh_postgres_url")
    return str(tmp_path / "lease.sqlite3")


@pytest.fixture
def db(target):
    """One open database and a runner for its writes: `db(fn, *args)` runs fn in a write transaction."""
    loop = asyncio.new_event_loop()
    database = loop.run_until_complete(database_for(target, readers=1).open())

    def write(fn, *args, **kwargs):
        return loop.run_until_complete(database.write(fn, *args, **kwargs))

    def read(fn, *args):
        async def run():
            async with database.read() as conn:
                return await fn(conn, *args)
        return loop.run_until_complete(run())

    write.read = read
    yield write
    loop.run_until_complete(database.close())
    loop.close()


async def audited(conn, action):
    async with conn.execute("SELECT entity_id, details FROM audit_log WHERE action = ? ORDER BY id", (action,)) as cur:
        return [(entity_id, json.loads(details)) for entity_id, details in await cur.fetchall()]


def test_a_free_lease_is_taken_and_while_it_runs_nobody_else_gets_it(db):
    assert db(try_take, "mail", A, 60, at=at(0)) is True
    assert db(try_take, "mail", B, 60, at=at(1)) is False
    assert db(try_take, "mail", B, 60, at=at(59.9)) is False
    assert db.read(holder_of, "mail", at(30)) == A


def test_another_takes_an_expired_lease_and_the_old_holder_can_no_longer_renew_it(db):
    assert db(try_take, "mail", A, 60, at=at(0))
    assert db(try_take, "mail", B, 60, at=at(60.001))
    assert db.read(holder_of, "mail", at(61)) == B
    assert db(renew, "mail", A, 60, at=at(62)) is False
    assert db(try_take, "mail", A, 60, at=at(62)) is False


def test_renewing_keeps_the_lease_past_its_first_expiry(db):
    assert db(try_take, "mail", A, 60, at=at(0))
    assert db(renew, "mail", A, 60, at=at(40))
    assert db(try_take, "mail", B, 60, at=at(90)) is False
    assert db.read(holder_of, "mail", at(99)) == A
    assert db.read(holder_of, "mail", at(100.001)) is None
    assert db(try_take, "mail", B, 60, at=at(100.001))


def test_taking_again_what_one_holds_is_a_renewal(db):
    assert db(try_take, "mail", A, 60, at=at(0))
    assert db(try_take, "mail", A, 60, at=at(50))
    assert db(try_take, "mail", B, 60, at=at(100)) is False


def test_released_lease_is_taken_at_once_and_only_the_holder_can_release(db):
    assert db(try_take, "mail", A, 60, at=at(0))
    assert db(release, "mail", B, at=at(1)) is False
    assert db(try_take, "mail", B, 60, at=at(2)) is False
    assert db(release, "mail", A, at=at(3)) is True
    assert db.read(holder_of, "mail", at(3.5)) is None
    assert db(try_take, "mail", B, 60, at=at(4))


def test_leases_of_different_names_are_independent(db):
    assert db(try_take, "mail", A, 60, at=at(0))
    assert db(try_take, "monthly_schedule", B, 60, at=at(0))
    assert (db.read(holder_of, "mail", at(1)), db.read(holder_of, "monthly_schedule", at(1))) == (A, B)


def test_a_change_of_holder_is_audited_and_a_renewal_is_not(db):
    db(try_take, "mail", A, 60, at=at(0))
    db(try_take, "mail", A, 60, at=at(20))
    db(renew, "mail", A, 60, at=at(40))
    db(try_take, "mail", B, 60, at=at(101))
    db(release, "mail", B, at=at(110))
    taken = db.read(audited, "lease.take")
    assert taken[0] == ("mail", {"holder": A})
    assert taken[1][0] == "mail" and taken[1][1]["holder"] == B and taken[1][1]["from"] == A
    assert len(taken) == 2
    assert db.read(audited, "lease.release") == [("mail", {"holder": B})]


class Job:
    """A job that records who runs it and when; `running` is how many run at this moment."""

    def __init__(self):
        self.running = self.most = 0
        self.starts: list[tuple[str, datetime]] = []

    def for_holder(self, holder):
        async def run():
            self.starts.append((holder, now()))
            self.running += 1
            self.most = max(self.most, self.running)
            try:
                await asyncio.Event().wait()
            finally:
                self.running -= 1
        return run


def test_two_processes_on_one_database_run_the_job_once_and_the_survivor_takes_over_after_expiry(target):
    """Two Database objects (as two server processes) and two lease loops on one database."""
    seconds = 1.2
    job = Job()

    async def scenario():
        first = await database_for(target, readers=1).open()
        second = await database_for(target, readers=1).open()
        try:
            a = asyncio.create_task(run_exclusively(first, "mail", A, job.for_holder(A), seconds))
            await asyncio.sleep(0.2)
            b = asyncio.create_task(run_exclusively(second, "mail", B, job.for_holder(B), seconds))
            await asyncio.sleep(3 * seconds)  # A renews several times; B keeps trying
            assert [h for h, _ in job.starts] == [A] and job.running == 1
            async with first.read() as conn:
                async with conn.execute("SELECT expires_at FROM leases WHERE name = 'mail'") as cur:
                    a_expires = (await cur.fetchone())[0]

            async def dead(*args, **kwargs):  # A's process is gone: it writes nothing more
                raise ConnectionError("process killed")
            first.write = dead
            a.cancel()  # its job stops with it (a killed process runs nothing)
            await asyncio.gather(a, return_exceptions=True)
            async with first.read() as conn:
                async with conn.execute("SELECT expires_at FROM leases WHERE name = 'mail'") as cur:
                    a_expires = max(a_expires, (await cur.fetchone())[0])
            for _ in range(100):
                if len(job.starts) == 2:
                    break
                await asyncio.sleep(0.1)
            b.cancel()
            await asyncio.gather(b, return_exceptions=True)
            async with second.read() as conn:
                return a_expires, await audited(conn, "lease.take"), await audited(conn, "lease.release")
        finally:
            await first.close()
            await second.close()

    a_expires, taken, released = asyncio.run(scenario())
    assert [h for h, _ in job.starts] == [A, B]
    assert iso(job.starts[1][1]) > a_expires  # B waited for A's lease to expire
    assert job.most == 1 and job.running == 0
    assert [d["holder"] for _, d in taken] == [A, B] and taken[1][1]["from"] == A
    assert released == [("mail", {"holder": B})]


def test_a_holder_that_stops_releases_the_lease_and_the_other_takes_over_without_waiting(target):
    seconds = 30.0  # far longer than the test: a takeover can only come from the release
    job = Job()

    async def scenario():
        first = await database_for(target, readers=1).open()
        second = await database_for(target, readers=1).open()
        try:
            a = asyncio.create_task(run_exclusively(first, "mail", A, job.for_holder(A), seconds))
            await asyncio.sleep(0.2)
            b = asyncio.create_task(run_exclusively(second, "mail", B, job.for_holder(B), 0.6))
            await asyncio.sleep(0.5)
            a.cancel()
            await asyncio.gather(a, return_exceptions=True)
            assert job.running == 0
            for _ in range(50):
                if len(job.starts) == 2:
                    break
                await asyncio.sleep(0.1)
            b.cancel()
            await asyncio.gather(b, return_exceptions=True)
        finally:
            await first.close()
            await second.close()

    asyncio.run(scenario())
    assert [h for h, _ in job.starts] == [A, B] and job.most == 1
