"""An admin creates a survey contract from CSV for any post office, through the clerks' own form and rules."""

from tests.office.db import count, execute, query
from tests.office.pages import post_form, sign_in
from tests.office.test_office_work import BAD_CSV, GOOD_CSV
from tests.support.world import MUNICIPALITY

KANDA_CSV = ("住所,大字・町丁目,緯度,経度\n東京都千代田区神田錦町5-5,神田錦町,35.6930,139.7610\n"
             "東京都千代田区神田三崎町3-3,神田三崎町,35.7000,139.7550\n")  # the second is 北局's listed house
NEW_HOUSE_CSV = "住所,大字・町丁目,緯度,経度\n北海道札幌市中央区北1条西2丁目,北1条西,43.0621,141.3544\n"


def upload(client, csv_text: str, **choice):
    return post_form(client, "/office/contracts", {"title": "神田地区 空き家実態調査", "period_start": "2026-12-01",
                                                   "period_end": "2027-01-31", **choice},
                     page="/office/contracts", files={"file": ("list.csv", csv_text.encode("utf-8-sig"), "text/csv")})


def contract_id_of(response) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_the_admin_chooses_the_office_and_its_clerk_then_sees_the_contract(client, world, settings):
    sign_in(client, "admin")
    form = client.get("/office/contracts").text
    assert '<option value="10002">北郵便局（10002）</option>' in form and "東京都千代田区（131016）" in form
    contract_id = contract_id_of(upload(client, KANDA_CSV, office_code="10002"))
    assert query(settings, "SELECT office_code, municipality_code FROM survey_contracts") == [("10002", MUNICIPALITY)]
    assert query(settings, """SELECT p.address, p.office_code FROM contract_properties cp
                              JOIN properties p ON p.id = cp.property_id ORDER BY p.address""") == [
        ("東京都千代田区神田三崎町3-3", "10002"), ("東京都千代田区神田錦町5-5", "10002")]
    assert count(settings, "tasks", "contract_id = ?", contract_id) == 2
    assert count(settings, "audit_log", "action = 'contract.create' AND user_id = ?", world.users["admin"]) == 1
    assert "北郵便局" in client.get("/office/contracts").text
    sign_in(client, "kudo")
    assert client.get(f"/office/contracts/{contract_id}").status_code == 200
    sign_in(client, "ueda")
    assert client.get(f"/office/contracts/{contract_id}").status_code == 404


def test_the_admin_may_choose_a_municipality_other_than_the_offices(client, world, settings):
    execute(settings, "INSERT INTO municipalities (code, name, prefecture) VALUES ('011002', '札幌市', '北海道')")
    sign_in(client, "admin")
    contract_id_of(upload(client, NEW_HOUSE_CSV, office_code="10001", municipality_code="011002"))
    assert query(settings, "SELECT office_code, municipality_code FROM survey_contracts") == [("10001", "011002")]
    assert query(settings, "SELECT municipality_code, office_code FROM properties WHERE address LIKE '北海道%'") == [
        ("011002", "10001")]


def test_without_an_office_the_admin_is_asked_to_choose_one_and_nothing_is_stored(client, world, settings):
    sign_in(client, "admin")
    before = (count(settings, "properties"), count(settings, "tasks"))
    response = upload(client, GOOD_CSV)
    assert response.status_code == 400 and "契約する郵便局を選んでください。" in response.text
    assert count(settings, "survey_contracts") == 0
    assert (count(settings, "properties"), count(settings, "tasks")) == before


def test_row_errors_are_shown_to_the_admin_and_nothing_is_imported(client, world, settings):
    sign_in(client, "admin")
    before = (count(settings, "properties"), count(settings, "tasks"))
    response = upload(client, BAD_CSV, office_code="10002")
    assert response.status_code == 400
    assert "3 行目" in response.text and "4 行目" in response.text and "何も登録していません" in response.text
    assert '<option value="10002" selected>' in response.text
    assert count(settings, "survey_contracts") == 0
    assert (count(settings, "properties"), count(settings, "tasks")) == before


def test_a_clerk_cannot_make_a_contract_for_another_office(client, world, settings):
    sign_in(client, "ueda")
    assert "選んでください" not in client.get("/office/contracts").text
    contract_id_of(upload(client, GOOD_CSV, office_code="10002"))
    assert query(settings, "SELECT office_code FROM survey_contracts") == [("10001",)]
