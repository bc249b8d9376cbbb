"""`akiya import properties`: every bad row reported with its number; nothing half imported."""

import sqlite3

import pytest

from server.ops.cli import main
from server.properties.csv_import import CsvImportError, parse_properties_csv
from tests.support.world import MUNICIPALITY

GOOD = "住所,大字・町丁目,緯度,経度,不動産ID,用途,構造,階数\n" \
       "東京都千代田区一番町10-1,一番町,35.6871,139.7401,1234567890123-1234,専用住宅,木造,2\n" \
       "東京都千代田区一番町10-2,一番町,35.6872,139.7402,,店舗,鉄骨造,1階\n"


def _count(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM properties").fetchone()[0]


def test_a_good_file_in_shift_jis_imports_every_row(world, tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(GOOD.encode("cp932"))
    before = _count(world.db_path)
    assert main(["import", "properties", str(path), "--municipality", MUNICIPALITY, "--db", str(world.db_path)]) == 0
    assert _count(world.db_path) == before + 2
    assert "2 件" in capsys.readouterr().out


def test_utf8_with_and_without_bom_read_the_same():
    assert parse_properties_csv(GOOD.encode("utf-8")) == parse_properties_csv(GOOD.encode("utf-8-sig"))


def test_bad_rows_are_all_reported_by_row_number_and_nothing_is_imported(world, tmp_path, capsys):
    bad = GOOD + "東京都千代田区一番町10-3,一番町,北緯35度,139.74,,,,\n" \
                 ",一番町,35.68,139.74,,,,\n" \
                 "東京都千代田区一番町10-1,一番町,35.68,139.74,,,,\n" \
                 "東京都千代田区一番町10-4,一番町,35.68,200,123,,,百\n"
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8-sig")
    before = _count(world.db_path)
    assert main(["import", "properties", str(path), "--municipality", MUNICIPALITY, "--db", str(world.db_path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:4:" in err and "緯度「北緯35度」は数値ではありません" in err
    assert f"{path}:5:" in err and "住所が空です" in err
    assert f"{path}:6:" in err and "2 行目と重複" in err
    assert f"{path}:7:" in err and "経度 200.0" in err and "不動産ID" in err and "階数" in err
    assert "何も取り込みませんでした" in err
    assert _count(world.db_path) == before


def test_an_address_already_listed_stops_the_whole_import(world, tmp_path):
    path = tmp_path / "again.csv"
    path.write_text(GOOD, encoding="utf-8")
    args = ["import", "properties", str(path), "--municipality", MUNICIPALITY, "--db", str(world.db_path)]
    assert main(args) == 0
    before = _count(world.db_path)
    assert main(args) == 1
    assert _count(world.db_path) == before


def test_a_file_without_the_needed_columns_says_which_are_missing():
    with pytest.raises(CsvImportError) as caught:
        parse_properties_csv("名前,電話\n山田,03\n".encode())
    assert caught.value.errors[0].row == 1
    assert "住所" in caught.value.errors[0].message and "緯度" in caught.value.errors[0].message


def test_an_unknown_municipality_is_refused(world, tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["import", "properties", str(path), "--municipality", "011002", "--db", str(world.db_path)]) == 1
    assert "011002" in capsys.readouterr().err


def test_the_municipalitys_ledger_number_parcel_and_building_number_are_optional_columns(world, tmp_path):
    text = ("住所,緯度,経度,台帳番号,地番,家屋番号\n"
            "東京都千代田区一番町20-1,35.6871,139.7401,空家-0007,一番町20番1,20番1の2\n"
            "東京都千代田区一番町20-2,35.6872,139.7402,,,\n")
    rows = parse_properties_csv(text.encode("cp932"))
    assert [(r.ledger_no, r.chiban, r.kaoku_no) for r in rows] == [("空家-0007", "一番町20番1", "20番1の2"),
                                                                    ("", "", "")]
    path = tmp_path / "ids.csv"
    path.write_bytes(text.encode("cp932"))
    assert main(["import", "properties", str(path), "--municipality", MUNICIPALITY, "--db", str(world.db_path)]) == 0
    with sqlite3.connect(world.db_path) as conn:
        stored = conn.execute("SELECT ledger_no, chiban, kaoku_no FROM properties WHERE address LIKE '%一番町20-%'"
                              " ORDER BY address").fetchall()
    assert stored == [("空家-0007", "一番町20番1", "20番1の2"), ("", "", "")]
