"""AKIYA_DB names a SQLite file or a PostgreSQL URL, and the CLI opens either (issue 15, item 1);
backup/restore refuse PostgreSQL with the tools to use instead (item 6)."""

import io
from pathlib import Path

import psycopg

from server.ops.backup import BackupError, backup, restore
from server.ops.cli import main
from server.core.settings import Settings
from tests.support.backends import fresh_postgres_url, postgres_template, postgres_url  # noqa: F401 (fixtures)


def test_a_file_path_stays_a_path():
    assert Settings.from_env({"AKIYA_DB": "var/x.sqlite3"}).db == Path("var/x.sqlite3")
    assert Settings.from_env({}).db == Path("var/akiya.sqlite3")
    assert Settings.from_env({}, db=Path("/tmp/y.sqlite3")).db == Path("/tmp/y.sqlite3")
    assert not Settings.from_env({"AKIYA_DB": "var/x.sqlite3"}).db_is_postgres


def test_a_postgres_url_is_kept_whole():
    url = "postgresql://postgres@127.0.0.1:5432/akiya"
    settings = Settings.from_env({"AKIYA_DB": url})
    assert settings.db == url and settings.db_is_postgres
    assert Settings.from_env({}, db="postgres://h/db").db == "postgres://h/db"


def test_user_add_writes_to_postgres(fresh_postgres_url, monkeypatch, capsys):  # noqa: F811
    with psycopg.connect(fresh_postgres_url) as conn:
        conn.execute("INSERT INTO municipalities (code, name, prefecture) VALUES ('012025', '函館市', '北海道')")
        conn.execute("INSERT INTO post_offices (code, name, municipality_code) VALUES ('10001', '函館', '012025')")
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-pw\n"))
    assert main(["user", "add", "--db", fresh_postgres_url, "--role", "carrier", "--login", "pgyamada",
                 "--name", "山田 太郎", "--office", "10001"]) == 0, capsys.readouterr().err
    with psycopg.connect(fresh_postgres_url) as conn:
        row = conn.execute("SELECT role, office_code FROM users WHERE login = 'pgyamada'").fetchone()
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'user.add'").fetchone()
    assert row == ("carrier", "10001") and audited == (1,)


def test_backup_and_restore_refuse_postgres_naming_the_tools(tmp_path, capsys):
    url = "postgresql://postgres@127.0.0.1:5432/akiya"
    for call, tool in ((lambda: backup(url, tmp_path / "data", tmp_path / "out"), "pg_dump"),
                       (lambda: restore(tmp_path / "out", url, tmp_path / "data"), "pg_restore")):
        try:
            call()
        except BackupError as exc:
            assert tool in str(exc) and "PostgreSQL" in str(exc)
            # and what to do for photos in object storage (issue 15 item 6)
            assert "バージョニング" in str(exc) and "rclone sync" in str(exc)
        else:
            raise AssertionError(f"no refusal naming {tool}")
    assert main(["backup", "--db", url, str(tmp_path / "b")]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "rclone sync" in err
    assert main(["restore", "--db", url, str(tmp_path / "b")]) == 1
    assert "pg_restore" in capsys.readouterr().err
    assert not (tmp_path / "b").exists() and not (tmp_path / "out").exists()


def test_visit_day_and_month_in_japan_agree_on_both_engines(fresh_postgres_url):  # noqa: F811
    """server/users/access.py visit_day and visit_month_sql use SQLite's date()/strftime() with '+9 hours';
    PostgreSQL runs functions of the same names (server/db/migrate_pg.py)."""
    import sqlite3

    from server.users.access import visit_day
    from server.inspections.queries import visit_month_sql

    moments = ["2026-11-30T14:59:59.999Z", "2026-11-30T15:00:00.000Z", "2026-12-31T16:00:00+00:00",
               "2026-11-30T23:30:00+09:00", "2028-02-28T15:00:00Z"]
    sql = f"SELECT {visit_day('i')}, {visit_month_sql('i')} FROM (SELECT ? AS started_at) AS i"
    lite = sqlite3.connect(":memory:")
    with psycopg.connect(fresh_postgres_url) as conn:
        for moment in moments:
            on_sqlite = lite.execute(sql, (moment,)).fetchone()
            on_postgres = conn.execute(sql.replace("%", "%%").replace("?", "%s"), (moment,)).fetchone()
            assert on_postgres == on_sqlite, moment
    assert lite.execute(sql, ("2026-11-30T15:00:00.000Z",)).fetchone() == ("2026-12-01", "2026-12")


def test_a_database_password_never_appears_where_the_database_is_named():
    from server.core.settings import Settings

    shown = Settings.from_env({}, db="postgresql://akiya:s3cret@db.example:5432/akiya").db_shown
    assert "s3cret" not in shown and shown == "postgresql://akiya:***@db.example:5432/akiya"
    assert Settings.from_env({}, db="var/akiya.sqlite3").db_shown.endswith("akiya.sqlite3")
