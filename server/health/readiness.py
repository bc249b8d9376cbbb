"""`/readyz`: can this process do its work now? `/healthz` only says it is alive.

Three checks, each with a deadline of `CHECK_SECONDS`, run side by side:
- database: a real query on a real table through a reader connection;
- migrations: the database's schema level is the one this code expects (not older: a migration
  failed; not newer: the code was rolled back under a newer database);
- storage: a HEAD of a key in the photo store (data folder or bucket): any answer, found or not,
  shows the store answers; for the data folder, also that it is a writable directory.
A failed check says what failed in words an operator can act on, never a URL or a credential.
"""

from __future__ import annotations

import asyncio
import os
import time

import msgspec

from server.db.migrate import migration_files
from server.health import queries

CHECK_SECONDS = 2.0
PROBE_KEY = "readyz/probe"  # never written: a HEAD of it answers "not found", which is an answer

MESSAGES = {
    "database": "データベースに接続できません",
    "migrations": "データベースの版がこのサーバーと合いません（akiya migrate の実行を確かめてください）",
    "storage": "写真の保存先に接続できません",
}


class Check(msgspec.Struct, omit_defaults=True):
    ok: bool
    seconds: float
    error: str | None = None
    level: int | None = None  # migrations: the database's level
    expected: int | None = None  # migrations: the level this code brings


class Readiness(msgspec.Struct):
    ready: bool
    checks: dict[str, Check]
    message: str  # Japanese: what is wrong, or that all is well


def expected_level() -> int:
    return migration_files()[-1][0]


async def _timed(name: str, probe) -> Check:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            extra = await probe() or {}
        ok = extra.pop("ok", True)
        return Check(ok, round(time.perf_counter() - started, 4), None if ok else extra.pop("error", "failed"), **extra)
    except TimeoutError:
        return Check(False, round(time.perf_counter() - started, 4), f"no answer within {CHECK_SECONDS:.0f} s")
    except Exception as exc:  # any failure of the database driver or the storage client means the same here
        return Check(False, round(time.perf_counter() - started, 4), type(exc).__name__)


async def check(state) -> Readiness:
    level: dict[str, int] = {}

    async def database():
        async with state.db.read() as conn:
            await queries.users_readable(conn)
            level["found"] = await queries.schema_level(conn)

    async def storage():
        await state.storage.head(PROBE_KEY)
        root = state.settings.data_dir
        if state.storage.local_path(PROBE_KEY) is not None and not (root.is_dir() and os.access(root, os.W_OK)):
            return {"ok": False, "error": "the data folder is missing or not writable"}

    db_check, storage_check = await asyncio.gather(_timed("database", database), _timed("storage", storage))
    expected = expected_level()
    if "found" in level:
        matches = level["found"] == expected
        migrations = Check(matches, 0.0, None if matches else f"database at {level['found']}, code expects {expected}",
                           level=level["found"], expected=expected)
    else:
        migrations = Check(False, 0.0, "database not reachable", expected=expected)
    checks = {"database": db_check, "migrations": migrations, "storage": storage_check}
    failed = [MESSAGES[name] for name, found in checks.items()
              if not found.ok and not (name == "migrations" and not db_check.ok)]  # said once: the database
    return Readiness(not failed, checks, "、".join(failed) if failed else "正常に動作しています")
