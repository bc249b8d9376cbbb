"""`akiya seed-demo` on a database that holds anything is refused (exit 2, saying what it found) and
changes nothing: no demo logins beside real admins, no demo marker that would let demo mode run on
it. There is no flag to force it."""

from __future__ import annotations

import asyncio

from server.core.audit import SYSTEM
from server.ops.cli import main
from server.db import database_for
from server.users.queries import add_user
from tests.support import sql


def _admins(settings, n: int) -> None:
    async def add(conn):
        for i in range(n):
            await add_user(conn, SYSTEM, login=f"admin{i + 1}", name=f"管理者{i + 1}", role="admin",
                           password="a-long-real-password-9137")

    async def run():
        async with database_for(settings.db, readers=1) as db:
            await db.write(add)
    asyncio.run(run())


def _seed(backend, monkeypatch) -> int:
    for name, value in backend.env.items():
        monkeypatch.setenv(name, value)
    return main(["seed-demo", "--db", str(backend.db), "--data-dir", str(backend.data_dir)])


def test_a_database_with_six_real_admins_is_refused_and_left_as_it_was(backend, monkeypatch, capsys):
    settings = backend.settings()
    _admins(settings, 6)
    assert _seed(backend, monkeypatch) == 2
    said = capsys.readouterr().err
    assert "空ではありません" in said and "users 6行" in said
    assert sql.rows(settings.db, "SELECT login FROM users ORDER BY login") == [(f"admin{i}",) for i in range(1, 7)]
    assert sql.rows(settings.db, "SELECT key FROM database_meta") == []
    assert sql.value(settings.db, "SELECT count(*) FROM municipalities") == 0


def test_seed_demo_has_no_flag_to_force_it(backend, monkeypatch, capsys):
    for flag in ("--force", "--yes", "-f"):
        try:
            code = main(["seed-demo", "--db", str(backend.db), flag])
        except SystemExit as exc:  # argparse: unrecognized arguments
            code = exc.code
        assert code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_a_fresh_database_holds_no_records_so_the_demo_may_go_in(backend):
    from server.demo.seed import records_found

    async def run():
        async with database_for(backend.db, readers=1) as db:
            async with db.read() as conn:
                return await records_found(conn, backend.settings().db_is_postgres)
    assert asyncio.run(run()) == {}
