"""A contract carries the municipality's 契約番号, and each house its 台帳番号・地番・家屋番号 and a 整理番号
given once, in the order of the municipality's list."""

from tests.office.db import query
from tests.office.pages import post_form, sign_in

LIST = ("住所,大字・町丁目,緯度,経度,台帳番号,地番,家屋番号\n"
        "東京都千代田区四番町4-4,四番町,35.6890,139.7350,K-0101,四番町4番4,4番4の1\n"
        "東京都千代田区二番町2-2,二番町,35.6880,139.7380,K-0102,二番町2番2,\n"
        "東京都千代田区三番町3-3,三番町,35.6885,139.7360,,,\n")


def upload(client, csv_text: str, **fields):
    form = {"title": "千代田区 空き家実態調査", "period_start": "2026-12-01", "period_end": "2027-01-31", **fields}
    return post_form(client, "/office/contracts", form, page="/office/contracts",
                     files={"file": ("list.csv", csv_text.encode("utf-8-sig"), "text/csv")})


def test_the_contract_keeps_its_real_number_and_the_houses_their_identifiers_and_list_order(client, world, settings):
    sign_in(client, "ueda")
    response = upload(client, LIST, contract_no="千代田区契第2026-77号", houses_in_area="1,520")
    assert response.status_code == 303, response.text
    contract_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert query(settings, "SELECT contract_no, houses_in_area FROM survey_contracts WHERE id = ?", contract_id) == [
        ("千代田区契第2026-77号", 1520)]
    houses = query(settings, """SELECT cp.ref, p.address, p.ledger_no, p.chiban, p.kaoku_no
                                FROM contract_properties cp JOIN properties p ON p.id = cp.property_id
                                WHERE cp.contract_id = ? ORDER BY cp.ref""", contract_id)
    assert houses == [(1, "東京都千代田区四番町4-4", "K-0101", "四番町4番4", "4番4の1"),
                      (2, "東京都千代田区二番町2-2", "K-0102", "二番町2番2", ""),
                      (3, "東京都千代田区三番町3-3", "", "", "")]


def test_a_second_contract_numbers_its_own_houses_and_fills_identifiers_of_listed_ones(client, world, settings):
    sign_in(client, "ueda")
    first = int(upload(client, LIST).headers["location"].rsplit("/", 1)[1])
    second_list = ("住所,緯度,経度,台帳番号\n"
                   "東京都千代田区三番町3-3,35.6885,139.7360,K-0103\n"
                   "東京都千代田区二番町2-2,35.6880,139.7380,\n")
    second = int(upload(client, second_list).headers["location"].rsplit("/", 1)[1])
    refs = query(settings, """SELECT cp.contract_id, cp.ref, p.address, p.ledger_no FROM contract_properties cp
                              JOIN properties p ON p.id = cp.property_id ORDER BY cp.contract_id, cp.ref""")
    assert [r for r in refs if r[0] == first] == [(first, 1, "東京都千代田区四番町4-4", "K-0101"),
                                                  (first, 2, "東京都千代田区二番町2-2", "K-0102"),
                                                  (first, 3, "東京都千代田区三番町3-3", "K-0103")]
    assert [r[1:3] for r in refs if r[0] == second] == [(1, "東京都千代田区三番町3-3"), (2, "東京都千代田区二番町2-2")]


def test_a_houses_in_area_that_is_not_a_number_is_refused_in_japanese_and_nothing_is_stored(client, world, settings):
    sign_in(client, "ueda")
    response = upload(client, LIST, houses_in_area="約千")
    assert response.status_code == 400
    assert "調査区域の住宅数「約千」は1以上の整数" in response.text
    assert query(settings, "SELECT count(*) FROM survey_contracts") == [(0,)]


def test_a_later_list_fills_the_ledgers_building_date_of_listed_houses_and_a_blank_keeps_it(client, world, settings):
    sign_in(client, "ueda")
    upload(client, "住所,緯度,経度,建築年月日\n東京都千代田区二番町2-2,35.6880,139.7380,1975\n")
    upload(client, "住所,緯度,経度,建築年月日\n東京都千代田区二番町2-2,35.6880,139.7380,\n"
                   "東京都千代田区三番町3-3,35.6885,139.7360,昭和56年5月31日\n")
    upload(client, "住所,緯度,経度,建築年月日\n東京都千代田区三番町3-3,35.6885,139.7360,\n")
    assert query(settings, "SELECT address, built_on FROM properties WHERE address IN (?, ?) ORDER BY address",
                 "東京都千代田区二番町2-2", "東京都千代田区三番町3-3") == [
        ("東京都千代田区三番町3-3", "1981-05-31"), ("東京都千代田区二番町2-2", "1975")]
