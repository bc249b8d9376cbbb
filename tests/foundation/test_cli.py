"""The `akiya` command as an operator uses it."""

import io
import sqlite3
from pathlib import Path

from server.ops.cli import main
from tests.support.world import MUNICIPALITY

RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"


def test_rubric_check_passes_the_shipped_rubrics(capsys):
    assert main(["rubric", "check", *map(str, sorted(RUBRICS.glob("*.toml")))]) == 0
    assert "OK" in capsys.readouterr().out


def test_rubric_check_lists_every_error_and_fails(tmp_path, capsys):
    broken = tmp_path / "broken.v1.toml"
    broken.write_text('id = "broken"\nversion = 1\nkind = "watch"\ntitle = "壊れた"\n'
                      '[[sections]]\nkey = "s"\ntitle = "S"\n'
                      '[[sections.items]]\nkey = "a"\nlabel = "A"\ntype = "choice"\noptions = [{ label = "x" }]\n'
                      '[[sections.items]]\nkey = "a"\nlabel = "A again"\ntype = "text"\nmax_length = 10\n'
                      'show_if = { item = "nope", in = ["x"] }\n', encoding="utf-8")
    assert main(["rubric", "check", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "broken.v1.toml" in err
    assert err.count("\n") >= 3  # several problems, all at once


def test_user_add_reads_the_password_from_stdin(world, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-pw\n"))
    assert main(["user", "add", "--db", str(world.db_path), "--role", "carrier", "--login", "yamada",
                 "--name", "山田 太郎", "--office", "10001"]) == 0
    with sqlite3.connect(world.db_path) as conn:
        row = conn.execute("SELECT role, office_code FROM users WHERE login = 'yamada'").fetchone()
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'user.add' AND details LIKE '%yamada%'").fetchone()
    assert row == ("carrier", "10001") and audited == (1,)


def test_user_add_explains_what_is_missing(world, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-pw\n"))
    assert main(["user", "add", "--db", str(world.db_path), "--role", "carrier", "--login", "nooffice"]) == 1
    assert "郵便局コード" in capsys.readouterr().err


def test_user_add_refuses_an_unknown_municipality(world, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-pw\n"))
    assert main(["user", "add", "--db", str(world.db_path), "--role", "municipality", "--login", "x",
                 "--municipality", "011002"]) == 1
    assert MUNICIPALITY not in capsys.readouterr().err


def test_user_password_sets_a_new_password_and_ends_every_sign_in(world, monkeypatch, client):
    from tests.support.world import PASSWORD

    token = client.post("/api/v1/auth/login", json={"login": "aoki", "password": PASSWORD}).json()["token"]
    monkeypatch.setattr("sys.stdin", io.StringIO("a-brand-new-pw\n"))
    assert main(["user", "password", "--db", str(world.db_path), "--login", "aoki"]) == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/api/v1/auth/login", json={"login": "aoki", "password": "a-brand-new-pw"}).status_code == 200


def test_user_password_for_an_unknown_login_says_so(world, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-brand-new-pw\n"))
    assert main(["user", "password", "--db", str(world.db_path), "--login", "nobody"]) == 1
    assert "nobody" in capsys.readouterr().err
