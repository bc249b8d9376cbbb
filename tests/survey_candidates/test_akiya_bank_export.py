"""The 空き家バンク candidate list: only houses whose owner wants to sell or let and asked for the 空き家バンク
registration, with the registration's fields (所在地, 構造, 建築年, 延床面積, 利活用判定, 不良度の範囲, 接道), the
owner's name and contact only where the owner agreed to be contacted; as CSV (UTF-8 with BOM, Shift_JIS) and
as a ZIP with each house's カルテ and photos. Offered only to those who see the owners; every export audited."""

import csv
import io
import subprocess
import zipfile

import pytest

from server.core.audit import SYSTEM
from server.owner_data.retention import delete_now
from server.owner_survey import queries as q
from server.owner_survey.letters import make_letters
from server.users.queries import set_sees_owner_letters, user_by_login
from tests.office.pages import sign_in
from tests.support.sql import rows
from tests.support.survey_contract import v3_contract
from tests.survey_candidates.lists import HEADER, import_list, on_db

# The v3 contract's houses as the 課税台帳 lists them, each with its owner.
LEDGER = HEADER + (
    "課税台帳,千代田区二番町2-2,,,専用住宅,木造,1981,112.4,二番 太郎,東京都千代田区千代田1-1,100-0001\n"
    "課税台帳,千代田区神田三崎町3-3,,,専用住宅,木造,1981,88,三崎 花子,大阪府大阪市北区梅田1-1-1,530-0001\n"
    "課税台帳,千代田区一番町1-1,,,専用住宅,木造,,,一番 次郎,京都府京都市下京区1,600-8216\n")
SELLS_AND_MAY_BE_CALLED = {"current_use": "unused", "intention": "sell", "akiya_bank": "yes",
                           "contact_consent": "yes", "contact": "090-1111-2222"}
LETS_BUT_NO_CALLS = {"current_use": "unused", "intention": "let", "akiya_bank": "yes", "contact_consent": "no",
                     "contact": "090-3333-4444"}
SELLS_WITHOUT_THE_BANK = {"current_use": "unused", "intention": "sell", "akiya_bank": "no", "contact_consent": "yes",
                          "contact": "090-5555-6666"}


@pytest.fixture
def answered(world, as_):
    """Three surveyed houses, letters to their owners, three answers: 二番町 sells and may be called, 神田三崎町
    lets and may not be called, 一番町 sells but does not want the 空き家バンク."""
    c = v3_contract(world, as_)
    import_list(world, c, LEDGER)
    by_address = dict(rows(world.db_path, "SELECT address, id FROM survey_candidates"))

    async def run(db):
        async with db.read() as conn:
            mori = await user_by_login(conn, "mori")
        await db.write(lambda conn: make_letters(conn, SYSTEM, mori, c, list(by_address.values()), "https://a.example"))
        letters = dict(rows(world.db_path, "SELECT candidate_id, id FROM owner_letters"))
        for address, answer in (("千代田区二番町2-2", SELLS_AND_MAY_BE_CALLED), ("千代田区神田三崎町3-3", LETS_BUT_NO_CALLS),
                                ("千代田区一番町1-1", SELLS_WITHOUT_THE_BANK)):
            await db.write(lambda conn: q.save_answer(conn, SYSTEM, letters[by_address[address]], answer, "web"))
    on_db(world, run)
    return c


def _csv(response, encoding="utf-8-sig") -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode(encoding))))


def test_the_list_holds_only_sellers_and_letters_who_want_the_bank_with_the_registration_fields(as_, world, answered):
    response = as_("mori").get(f"/api/v1/reports/akiya-bank/{answered}.csv")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    listed = _csv(response)
    assert [r["所在地"] for r in listed] == ["東京都千代田区二番町2-2", "東京都千代田区神田三崎町3-3"]
    niban, misaki = listed
    assert (niban["今後の意向"], niban["空き家バンク登録の希望"], niban["連絡の同意"]) == ("売却したい", "登録を希望する", "連絡してよい")
    assert (niban["構造"], niban["建築年"], niban["延床面積（㎡）"]) == ("木造", "1981-05-31", "112.4")
    assert niban["利活用判定"] == "修繕により活用可能" and misaki["利活用判定"] == "除却が望ましい"
    assert (niban["接道"], misaki["接道"]) == ("幅員4m以上の道路に接している", "幅員4m以上の道路に接している")
    assert "〜" in niban["不良度の範囲（別表第1）"]
    assert (niban["所有者氏名"], niban["所有者郵便番号"], niban["連絡先（回答）"]) == ("二番 太郎", "100-0001", "090-1111-2222")
    assert (misaki["所有者氏名"], misaki["所有者住所"], misaki["連絡先（回答）"]) == ("", "", "")
    assert misaki["今後の意向"] == "賃貸したい"
    assert "一番 次郎" not in response.text and "090-3333-4444" not in response.text
    assert rows(world.db_path, "SELECT details FROM audit_log WHERE action = 'candidate_owners.akiya_bank'") == [
        ('{"owners":1}',)]
    assert rows(world.db_path, "SELECT details FROM audit_log WHERE action = 'survey.export'") == [
        ('{"file":"akiya_bank.csv","encoding":"utf-8"}',)]


def test_the_shift_jis_list_reads_the_same(as_, answered):
    response = as_("admin").get(f"/api/v1/reports/akiya-bank/{answered}.csv?encoding=shift_jis")
    assert response.status_code == 200
    assert [r["所在地"] for r in _csv(response, "cp932")] == ["東京都千代田区二番町2-2", "東京都千代田区神田三崎町3-3"]


def test_the_zip_holds_the_list_and_each_houses_karte_and_photos(as_, answered, tmp_path):
    response = as_("mori").get(f"/api/v1/reports/akiya-bank/{answered}.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    listed = list(csv.DictReader(io.StringIO(archive.read("空き家バンク候補一覧.csv").decode("utf-8-sig"))))
    for row in listed:
        ref = row["整理番号"]
        karte = f"{ref}/空き家カルテ_{ref}.pdf"
        assert karte in names and row["カルテ・写真（ZIP 内）"].split() == [n for n in names if n.startswith(f"{ref}/")]
        assert [n for n in names if n.startswith(f"{ref}/{ref}_") and n.endswith(".jpg")]
        (tmp_path / "karte.pdf").write_bytes(archive.read(karte))
        text = subprocess.run(["pdftotext", str(tmp_path / "karte.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert row["所在地"].removeprefix("東京都") in text and text.count("空き家カルテ") >= 1
    assert len(listed) == 2 and not [n for n in names if "一番町" in n]
    photo = next(n for n in names if n.endswith(".jpg"))
    assert archive.read(photo)[:2] == b"\xff\xd8"


@pytest.mark.parametrize("login", ["ueda", "kudo", "aoki", "ono"])
def test_those_who_do_not_see_owners_get_no_list_and_no_link(as_, client, world, answered, login):
    assert as_(login).get(f"/api/v1/reports/akiya-bank/{answered}.csv").status_code == 404
    assert rows(world.db_path, "SELECT count(*) FROM audit_log WHERE action = 'survey.export'") == [(0,)]
    if login in ("ueda", "kudo"):
        sign_in(client, login)
        page = client.get(f"/office/contracts/{answered}")
        assert "空き家バンク候補一覧" not in page.text


def test_a_clerk_with_the_letters_permission_may_take_the_list(as_, client, world, answered):
    async def allow(db):
        async with db.read() as conn:
            ueda = await user_by_login(conn, "ueda")
        await db.write(lambda conn: set_sees_owner_letters(conn, SYSTEM, ueda, True))
    on_db(world, allow)
    assert as_("ueda").get(f"/api/v1/reports/akiya-bank/{answered}.csv").status_code == 200
    sign_in(client, "ueda")
    assert f"/api/v1/reports/akiya-bank/{answered}.zip" in client.get(f"/office/contracts/{answered}").text


def test_after_the_owners_data_is_deleted_the_list_keeps_the_houses_and_says_so(as_, world, answered):
    async def delete(db):
        async with db.read() as conn:
            mori = await user_by_login(conn, "mori")
        await db.write(lambda conn: delete_now(conn, SYSTEM, mori, answered, True))
    on_db(world, delete)
    listed = _csv(as_("mori").get(f"/api/v1/reports/akiya-bank/{answered}.csv"))
    assert [r["今後の意向"] for r in listed] == ["売却したい", "賃貸したい"]
    assert listed[0]["所有者氏名"].startswith("所有者の個人情報（氏名・住所・郵便番号・連絡先）は")
    assert listed[0]["連絡先（回答）"] == "" and listed[1]["所有者氏名"] == ""
