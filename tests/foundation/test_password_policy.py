"""New passwords (akiya user add / user password, owners' logins): 12 characters or more, not the
login, not a common or guessable password; each refusal says in Japanese what to change."""

import io
import sqlite3

import pytest

from server.auth.password_policy import password_problem
from server.ops.cli import main


def add_carrier(world, monkeypatch, password: str, login: str = "yamada") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password))
    return main(["user", "add", "--db", str(world.db_path), "--role", "carrier", "--login", login,
                 "--name", "山田 太郎", "--office", "10001"])


def set_password(world, monkeypatch, password: str, login: str = "aoki") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password))
    return main(["user", "password", "--db", str(world.db_path), "--login", login])


def users_named(world, login):
    with sqlite3.connect(world.db_path) as conn:
        return conn.execute("SELECT count(*) FROM users WHERE login = ?", (login,)).fetchone()[0]


def test_a_password_shorter_than_twelve_characters_is_refused_saying_how_long_it_must_be(world, monkeypatch, capsys):
    assert add_carrier(world, monkeypatch, "Zq8-vine-7\n") == 1
    err = capsys.readouterr().err
    assert "12文字以上" in err and "10文字" in err
    assert users_named(world, "yamada") == 0


def test_the_login_itself_is_not_a_password(world, monkeypatch, capsys):
    assert add_carrier(world, monkeypatch, "yamada-hanako-2\n", login="yamada-hanako-2") == 1
    assert "ログイン名" in capsys.readouterr().err
    assert users_named(world, "yamada-hanako-2") == 0


@pytest.mark.parametrize("common, why", [
    ("password1234", "よく使われる"),
    ("zxcvbnm,./zx", "キーボード"),
    ("aaaaaaaaaaaaaaaa", "繰り返し"),
])
def test_a_common_or_patterned_password_is_refused_with_the_reason(world, monkeypatch, capsys, common, why):
    assert set_password(world, monkeypatch, common + "\n") == 1
    err = capsys.readouterr().err
    assert why in err and "推測されにくいもの" in err


def test_a_trailing_cr_lf_from_a_windows_file_is_not_part_of_the_password(world, monkeypatch, client):
    assert set_password(world, monkeypatch, "kawa-no-nagare-47\r\n") == 0
    login = client.post("/api/v1/auth/login", json={"login": "aoki", "password": "kawa-no-nagare-47"})
    assert login.status_code == 200


def test_a_long_unrelated_passphrase_is_accepted(world, monkeypatch):
    assert add_carrier(world, monkeypatch, "hatake-no-kakashi-ga-warau\n") == 0
    assert users_named(world, "yamada") == 1


def test_a_passphrase_longer_than_the_estimator_reads_is_judged_not_crashed():
    assert "繰り返し" in password_problem("a" * 150)
    assert password_problem("umi-yama-kawa-mori-" + "x7Q" * 30) is None
