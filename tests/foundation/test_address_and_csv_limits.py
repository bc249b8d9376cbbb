"""Overlong CSV cells and addresses: refused with the row's number (CLI and office upload) or
the form's message, never a 500, nothing stored; an error list stops at 50 lines and counts the rest."""

import sqlite3

import pytest

from server.core import limits
from server.ops.cli import main
from server.properties.csv_import import CsvImportError, parse_properties_csv
from tests.office.db import count
from tests.office.test_office_work import upload_contract
from tests.office.pages import post_form, sign_in
from tests.support.world import MUNICIPALITY

HEADER = "住所,緯度,経度,備考\n"


def _row(address: str, notes: str = "") -> str:
    return f"{address},35.6871,139.7401,{notes}\n"


def _errors(text: str) -> CsvImportError:
    with pytest.raises(CsvImportError) as caught:
        parse_properties_csv(text.encode("utf-8"))
    return caught.value


def test_an_address_of_the_maximum_length_is_read_and_one_longer_is_refused_by_row():
    assert parse_properties_csv((HEADER + _row("町" * limits.ADDRESS_MAX)).encode())[0].address == "町" * limits.ADDRESS_MAX
    error = _errors(HEADER + _row("東京都千代田区一番町1-1") + _row("町" * (limits.ADDRESS_MAX + 1)))
    assert [(e.row, "住所が長すぎます" in e.message) for e in error.errors] == [(3, True)]


def test_a_cell_of_the_maximum_length_is_read_and_one_longer_is_refused_by_row():
    assert parse_properties_csv((HEADER + _row("一番町1-1", "x" * limits.CSV_FIELD_MAX)).encode())[0].notes
    error = _errors(HEADER + _row("一番町1-1", "x" * (limits.CSV_FIELD_MAX + 1)))
    assert error.errors[0].row == 2 and "4 列目が長すぎます" in error.errors[0].message


def test_a_cell_longer_than_the_csv_module_reads_is_a_row_error_not_a_crash():
    error = _errors(HEADER + _row("一番町1-1") + _row("x" * 140_000))
    assert error.errors[-1].row == 3
    assert f"{limits.CSV_FIELD_MAX}文字まで" in error.errors[-1].message


def test_a_header_longer_than_the_csv_module_reads_is_a_row_error():
    assert _errors("x" * 140_000 + "\n").errors[0].row == 1


def test_a_thousand_bad_rows_list_fifty_and_count_the_rest():
    error = _errors(HEADER + "".join(_row("", "") for _ in range(1000)))
    assert error.total == 1000
    assert len(error.errors) == limits.ERROR_DETAILS_MAX + 1
    assert "ほかに 950 件" in error.errors[-1].message


def test_the_command_refuses_a_120000_character_address_and_imports_nothing(world, tmp_path, capsys):
    path = tmp_path / "long.csv"
    path.write_text(HEADER + _row("東京都千代田区一番町1-1") + _row("町" * 120_000), encoding="utf-8")
    with sqlite3.connect(world.db_path) as conn:
        before = conn.execute("SELECT count(*) FROM properties").fetchone()[0]
    assert main(["import", "properties", str(path), "--municipality", MUNICIPALITY, "--db", str(world.db_path)]) == 1
    assert f"{path}:3:" in capsys.readouterr().err
    with sqlite3.connect(world.db_path) as conn:
        assert conn.execute("SELECT count(*) FROM properties").fetchone()[0] == before


@pytest.mark.parametrize("cell", ["町" * 120_000, "x" * 140_000])
def test_the_office_upload_refuses_an_overlong_cell_with_a_400_page(client, world, settings, cell):
    sign_in(client, "ueda")
    before = count(settings, "properties")
    response = upload_contract(client, HEADER + _row("東京都千代田区一番町1-1") + _row(cell))
    assert response.status_code == 400
    assert "3 行目" in response.text and "文字まで" in response.text
    assert count(settings, "survey_contracts") == 0 and count(settings, "properties") == before


@pytest.mark.parametrize(("length", "status"), [(limits.ADDRESS_MAX, 303), (120_000, 400)])
def test_an_owners_address_is_taken_up_to_the_maximum_on_the_subscription_form(client, world, settings, length, status):
    sign_in(client, "ueda")
    before = count(settings, "watch_subscriptions")
    response = post_form(client, "/office/subscriptions", {
        "property_id": world.properties["surveyed"], "owner_name": "佐藤 花子", "owner_address": "町" * length,
        "start_date": "2026-12-01"}, page="/office/subscriptions")
    assert response.status_code == status, response.text[:300]
    assert count(settings, "watch_subscriptions") == before + (1 if status == 303 else 0)
    if status == 400:
        assert f"{limits.ADDRESS_MAX}文字以内" in response.text
