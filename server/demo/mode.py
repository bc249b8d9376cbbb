"""Demo mode (AKIYA_DEMO=1): the sign-in page shows the demo town's logins and shared password.

So it runs only on a database that `akiya seed-demo` made (it writes the marker), says so in
the log at start, and listens only on a loopback address unless AKIYA_DEMO_PUBLIC=1 allows
more (then everyone who reaches the server sees the password)."""

from __future__ import annotations

import ipaddress
import logging
import sqlite3
from contextlib import closing

import aiosqlite

from server.core import audit
from server.core.clock import now_iso
from server.core.settings import Settings

log = logging.getLogger("akiya")

MARKER = "demo"


class DemoRefused(RuntimeError):
    pass


async def mark_demo_database(conn: aiosqlite.Connection, seeded_on: str) -> None:
    """Written by seed-demo once the demo town is complete."""
    await conn.execute("INSERT INTO database_meta (key, value, set_at) VALUES (?, ?, ?)", (MARKER, seeded_on, now_iso()))
    await audit.record(conn, audit.SYSTEM, "demo.seed", "database", None, {"seeded_on": seeded_on})


def is_demo_database(settings: Settings) -> bool:
    if settings.db_is_postgres or not settings.db.is_file():  # demo mode: SQLite only
        return False
    try:
        with closing(sqlite3.connect(settings.db)) as conn:
            return conn.execute("SELECT 1 FROM database_meta WHERE key = ?", (MARKER,)).fetchone() is not None
    except sqlite3.Error:  # no such table: a database from before the marker existed, or not ours
        return False


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def demo_refusal(settings: Settings) -> str | None:
    """Why demo mode may not run with these settings (None: it may)."""
    if not is_demo_database(settings):
        return (f"デモモード (AKIYA_DEMO=1) は akiya seed-demo で作ったデータベースでしか使えません。{settings.db_shown} は"
                "デモ用ではありません。本番のデータなら AKIYA_DEMO を外してください。デモなら空のデータベースに "
                "akiya seed-demo を実行してください（古いデモは var/demo/ を消して make demo で作り直せます）。")
    if not is_loopback(settings.host) and not settings.demo_public:
        return (f"デモモードではログイン画面にデモ用のパスワードが表示されるため、{settings.host} では待ち受けません。"
                "127.0.0.1 で動かすか、同じネットワークの全員に見えてもよいときだけ AKIYA_DEMO_PUBLIC=1 を付けてください。")
    return None


def start_demo_mode(settings: Settings) -> None:
    """Refuse (DemoRefused) or warn that demo mode is on."""
    problem = demo_refusal(settings)
    if problem:
        log.error(problem)
        raise DemoRefused(problem)
    log.warning("DEMO MODE (AKIYA_DEMO=1): デモ用のログイン名とパスワードをログイン画面に表示しています。"
                "本番には使わないでください。database=%s host=%s", settings.db_shown, settings.host)
