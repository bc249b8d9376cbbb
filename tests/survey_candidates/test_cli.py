"""`akiya candidates import CONTRACT FILE` and `akiya user owner-letters` as an operator uses them."""

from server.ops.cli import main
from tests.support.sql import rows
from tests.survey_candidates.lists import WATER, contract


def test_the_cli_imports_a_list_says_the_encoding_and_a_second_run_changes_nothing(world, tmp_path, capsys):
    c = contract(world)
    listed = tmp_path / "suido.csv"
    listed.write_bytes(WATER.encode("cp932"))
    assert main(["candidates", "import", "--db", str(world.db_path), str(c), str(listed)]) == 0
    out = capsys.readouterr().out
    assert "文字コード Shift_JIS として読みました（3 行）" in out and "照合待ち 1 件" in out
    assert main(["candidates", "import", "--db", str(world.db_path), str(c), str(listed)]) == 0
    assert "既にこの契約に取り込み済みです。何も変更していません。" in capsys.readouterr().out
    assert rows(world.db_path, "SELECT count(*) FROM survey_candidates") == [(3,)]


def test_the_cli_lists_each_bad_row_and_imports_nothing(world, tmp_path, capsys):
    listed = tmp_path / "bad.csv"
    listed.write_text("出典,住所,延床面積\n水道,一番町1-1,-5\n水道,,\n", encoding="utf-8")
    assert main(["candidates", "import", "--db", str(world.db_path), str(contract(world)), str(listed)]) == 1
    err = capsys.readouterr().err
    assert "2 行目「延床面積」列: 延床面積「-5」は" in err and "3 行目「住所」列: 住所が空です。" in err
    assert "2 件のエラーがあるため、何も取り込みませんでした。" in err
    assert rows(world.db_path, "SELECT count(*) FROM survey_candidates") == [(0,)]


def test_an_unknown_contract_is_a_clear_message(world, tmp_path, capsys):
    listed = tmp_path / "suido.csv"
    listed.write_text(WATER, encoding="utf-8")
    assert main(["candidates", "import", "--db", str(world.db_path), "999", str(listed)]) == 1
    assert "調査契約が見つかりません。" in capsys.readouterr().err


def test_the_admin_gives_and_takes_back_a_clerks_owner_letters_permission(world, capsys):
    assert main(["user", "owner-letters", "--db", str(world.db_path), "--login", "ueda", "allow"]) == 0
    assert rows(world.db_path, "SELECT sees_owner_letters FROM users WHERE login = 'ueda'") == [(1,)]
    assert main(["user", "owner-letters", "--db", str(world.db_path), "--login", "aoki", "allow"]) == 1
    assert "郵便局の担当者にだけ" in capsys.readouterr().err
