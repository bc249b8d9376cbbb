"""The pull cursor stays gap-free with concurrent writers (issue 15 item 2).

The pull (server/sync/pull.py) reads, in one snapshot, `latest_seq` as the next cursor and the
changes with `seq > since`. If a change with a smaller seq could commit after one with a larger
seq, a reader would move its cursor past it and never see it. Here several writers on connections
of their own (as several server processes would) commit change-log rows after random pauses,
holding their transactions open a while, and one reader pulls in a loop with the same queries;
it must see every change exactly once, each writer's in the order they were written. On
PostgreSQL this holds because change-log rows are inserted under an advisory lock held to the
commit (server/db/postgres.py `serialise_change_log`); the deterministic case below shows that
without it a change is lost. The rows of a `write` are inserted at its end (so the lock is held
briefly); the writers here also insert some early and hold the transaction open after, the case
the lock must cover.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest

from server.core.changes import changed_since, latest_seq, log_change, log_changes, Change
from server.db import database_for
from server.db.postgres import PgConnection
from tests.support.backends import fresh_postgres_url, postgres_template, postgres_url  # noqa: F401 (fixtures)

WRITERS = 4
TRANSACTIONS = 20  # per writer; every other one writes two changes (as a batch push would)


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("fresh_postgres_url")
    return str(tmp_path / "changes.sqlite3")


async def _pull(db, since: int) -> tuple[int, list[str]]:
    """What the pull does with the change log: one read transaction, the cursor and what changed."""
    async with db.read() as conn:
        await conn.execute("BEGIN")
        try:
            cursor = await latest_seq(conn)
            ids = await changed_since(conn, "task", since)
        finally:
            await conn.execute("ROLLBACK")
    return cursor, ids


async def _reader(db, writers_done: asyncio.Event, rng: random.Random) -> list[list[str]]:
    """Pull until the writers are done, then once more; each pull's ids, in pull order."""
    since, pulls = 0, []
    while True:
        last = writers_done.is_set()
        cursor, ids = await _pull(db, since)
        assert cursor >= since, "the cursor never goes back"
        pulls.append(sorted(ids))
        since = cursor
        if last:
            return pulls
        await asyncio.sleep(rng.uniform(0, 0.004))


async def _writer(target: str, w: int, rng: random.Random, start: asyncio.Event) -> list[str]:
    """A writer with a connection of its own; returns the change ids it committed, in order."""
    db = await database_for(target, readers=1).open()
    committed: list[str] = []
    try:
        await start.wait()
        for t in range(TRANSACTIONS):
            ids = [f"w{w}-{t:03d}-{k}" for k in range(1 + t % 2)]

            async def change(conn):
                await asyncio.sleep(rng.uniform(0, 0.005))  # other work in the transaction first
                if len(ids) == 1:
                    await log_change(conn, "task", ids[0], None)
                else:
                    await log_changes(conn, [Change("task", i) for i in ids])
                if hasattr(conn, "flush_change_log") and rng.random() < 0.5:
                    await conn.flush_change_log()  # PostgreSQL: the rows in now (their seqs taken), not at the end
                await asyncio.sleep(rng.uniform(0, 0.015))  # ... and after: the transaction stays open

            await db.write(change)
            committed += ids
            await asyncio.sleep(rng.uniform(0, 0.01))
    finally:
        await db.close()
    return committed


async def _race(target: str, seed: int) -> tuple[list[list[str]], list[list[str]]]:
    rng = random.Random(seed)
    db = await database_for(target, readers=2).open()
    try:
        start, done = asyncio.Event(), asyncio.Event()
        writers = [asyncio.create_task(_writer(target, w, random.Random(rng.random()), start)) for w in range(WRITERS)]
        reader = asyncio.create_task(_reader(db, done, random.Random(rng.random())))
        await asyncio.sleep(0.2)  # every writer connected
        start.set()
        written = await asyncio.gather(*writers)
        done.set()
        pulls = await reader
    finally:
        await db.close()
    return written, pulls


def _problems(written: list[list[str]], pulls: list[list[str]]) -> list[str]:
    """Why the reader's view is not 'every change exactly once, each writer's in order' (empty: it is)."""
    seen = Counter(i for ids in pulls for i in ids)
    expected = {i for ids in written for i in ids}
    problems = [f"missed {i}" for i in sorted(expected - seen.keys())]
    problems += [f"seen {n} times: {i}" for i, n in sorted(seen.items()) if n != 1]
    problems += [f"never written: {i}" for i in sorted(seen.keys() - expected)]
    pull_of = {i: n for n, ids in enumerate(pulls) for i in ids}
    for ids in written:
        order = [pull_of[i] for i in ids if i in pull_of]
        if order != sorted(order):
            problems.append(f"out of order: {ids}")
    return problems


def test_a_reader_pulling_while_writers_commit_sees_every_change_once_in_order(target):
    written, pulls = asyncio.run(_race(target, seed=15))
    assert sum(len(ids) for ids in written) == WRITERS * TRANSACTIONS * 3 // 2
    assert _problems(written, pulls) == []
    assert sum(1 for ids in pulls if ids) > 5, "the reader pulled while the writers were writing"


@pytest.fixture
def without_the_lock(monkeypatch):
    async def nothing(self):
        return None
    monkeypatch.setattr(PgConnection, "serialise_change_log", nothing)


async def _late_commit(url: str) -> tuple[list[list[str]], list[list[str]]]:
    """A takes seq 1 and stays open; B writes seq 2 and commits (if it can); the reader pulls; A commits."""
    a_db, b_db, reader_db = [await database_for(url, readers=1).open() for _ in range(3)]
    a_inserted, b_finished = asyncio.Event(), asyncio.Event()
    pulls: list[list[str]] = []
    since = 0

    async def a(conn):
        await log_change(conn, "task", "a", None)
        await conn.flush_change_log()  # inserted now, seq taken; the commit comes 0.4 s later
        a_inserted.set()
        await asyncio.sleep(0.4)

    async def b():
        await a_inserted.wait()
        await b_db.write(log_change, "task", "b", None)
        b_finished.set()

    try:
        tasks = [asyncio.create_task(a_db.write(a)), asyncio.create_task(b())]
        await a_inserted.wait()
        for _ in range(10):  # pull while A is open (and B has committed, when nothing stops it)
            await asyncio.sleep(0.03)
            since, ids = await _pull(reader_db, since)
            pulls.append(sorted(ids))
        await asyncio.gather(*tasks)
        pulls.append(sorted((await _pull(reader_db, since))[1]))
    finally:
        for db in (a_db, b_db, reader_db):
            await db.close()
    return [["a"], ["b"]], pulls


def test_with_the_lock_a_late_commit_is_not_skipped(fresh_postgres_url):
    written, pulls = asyncio.run(_late_commit(fresh_postgres_url))
    assert _problems(written, pulls) == []
    assert [ids for ids in pulls if ids] == [["a", "b"]] or [ids for ids in pulls if ids] == [["a"], ["b"]]


def test_without_the_lock_a_late_commit_is_skipped(fresh_postgres_url, without_the_lock):
    """What the lock prevents: B's seq 2 commits first, the cursor moves to 2, A's seq 1 is never pulled."""
    written, pulls = asyncio.run(_late_commit(fresh_postgres_url))
    assert _problems(written, pulls) == ["missed a"]


def test_a_long_transaction_holds_up_no_other_change_log_writer(fresh_postgres_url):
    """The rows of a write are inserted at its end: a transaction that logs a change and then works
    on for a while does not hold the lock meanwhile, so others commit theirs without waiting."""
    async def scenario():
        slow_db, quick_db, reader_db = [await database_for(fresh_postgres_url, readers=1).open() for _ in range(3)]
        logged = asyncio.Event()

        async def slow(conn):
            await log_change(conn, "task", "slow", None)
            logged.set()
            await asyncio.sleep(0.6)  # e.g. the rest of a month's schedule

        try:
            slow_task = asyncio.create_task(slow_db.write(slow))
            await logged.wait()
            started = asyncio.get_running_loop().time()
            await quick_db.write(log_change, "task", "quick", None)
            quick_seconds = asyncio.get_running_loop().time() - started
            await slow_task
            cursor, ids = await _pull(reader_db, 0)
        finally:
            for db in (slow_db, quick_db, reader_db):
                await db.close()
        return quick_seconds, ids

    quick_seconds, ids = asyncio.run(scenario())
    assert quick_seconds < 0.3
    assert sorted(ids) == ["quick", "slow"]
