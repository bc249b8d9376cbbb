"""建築年月日 in a municipality's property list: 西暦 and 和暦 forms read as precisely as the ledger gives them,
every unreadable cell reported by row in Japanese, and the date stored for the 利活用判定."""

import sqlite3

import pytest

from server.ops.cli import main
from server.properties.built_date import BuiltDateError, parse_built_on
from server.properties.csv_import import CsvImportError, parse_properties_csv
from tests.support.world import MUNICIPALITY


@pytest.mark.parametrize("cell, stored", [
    ("1981", "1981"), ("1981-05", "1981-05"), ("1981-05-31", "1981-05-31"), ("1981/6/1", "1981-06-01"),
    ("1981年5月31日", "1981-05-31"), ("1981年5月", "1981-05"), ("1981年", "1981"), ("１９８１年６月１日", "1981-06-01"),
    ("昭和56年5月31日", "1981-05-31"), ("昭和56年6月", "1981-06"), ("昭和56年", "1981"), ("S56.5.31", "1981-05-31"),
    ("s56.6.1", "1981-06-01"), ("平成元年4月", "1989-04"), ("H1.4.1", "1989-04-01"), ("令和2年", "2020"),
    ("大正15年", "1926"), ("", None), ("  ", None),
])
def test_a_ledger_date_is_kept_as_precise_as_it_is_given(cell, stored):
    assert parse_built_on(cell) == stored


@pytest.mark.parametrize("cell, why", [
    ("昭和五十六年", "読めません"), ("1981-02-30", "存在しない日付"), ("S56.13.1", "存在しない日付"),
    ("0981", "範囲"), ("築40年", "読めません"),
])
def test_an_unreadable_date_says_why_in_japanese(cell, why):
    with pytest.raises(BuiltDateError, match=why):
        parse_built_on(cell)


def test_a_list_with_a_bad_date_reports_its_row_and_imports_nothing(world, tmp_path):
    text = ("住所,緯度,経度,建築年月日\n"
            "東京都千代田区一番町30-1,35.6871,139.7401,昭和56年5月31日\n"
            "東京都千代田区一番町30-2,35.6872,139.7402,昭和五十六年\n")
    with pytest.raises(CsvImportError) as refused:
        parse_properties_csv(text.encode("utf-8"))
    assert [(e.row, e.message) for e in refused.value.errors] == [
        (3, "建築年月日「昭和五十六年」を読めません（例：1981-05-31、1981年5月、昭和56年5月31日）。")]


def test_the_date_is_stored_with_the_house(world, tmp_path):
    path = tmp_path / "built.csv"
    path.write_bytes(("住所,緯度,経度,建築年\n東京都千代田区一番町30-1,35.6871,139.7401,S56.6.1\n"
                      "東京都千代田区一番町30-2,35.6872,139.7402,\n").encode("cp932"))
    assert main(["import", "properties", str(path), "--municipality", MUNICIPALITY, "--db", str(world.db_path)]) == 0
    with sqlite3.connect(world.db_path) as conn:
        stored = conn.execute("SELECT built_on FROM properties WHERE address LIKE '%一番町30-%' ORDER BY address").fetchall()
    assert stored == [("1981-06-01",), (None,)]
