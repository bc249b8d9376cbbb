"""A contract keeps its owners' personal data (names, addresses, postal codes from the 課税台帳 and the
contact details owners wrote in their answers) until its retention date: one year after the contract ends
unless the town sets another. The town's officer or the admin may delete it sooner, with a confirmation; the
nightly purge deletes what is due. The anonymous facts stay, so the report reconciles as before; every
deletion is audited with how many rows, never with the data; afterwards the pages say when it was deleted."""

from datetime import datetime

import pytest

from server.core import clock
from server.core.audit import SYSTEM, Actor
from server.core.errors import AppError
from server.documents.survey import candidate_tally
from server.owner_data.queries import retention_of
from server.owner_data.retention import change_keep_until, delete_now, keep_until
from server.owner_survey.answers import mark_returned, type_in_postcard
from server.owner_survey.letters import make_letters
from server.owner_survey.report import NOT_IN_REPORT, HouseClasses, owner_survey_tally
from server.ops.cli import main
from server.users.queries import set_sees_owner_letters, user_by_login
from tests.office.pages import post_form, sign_in
from tests.support.sql import rows
from tests.survey_candidates.lists import HEADER, WATER, as_user, contract, import_list, on_db

OWNERS = HEADER + ("課税台帳,千代田区一番町1-1,,,,,,,千代田 一郎,東京都千代田区千代田1-1,100-0001\n"
                   "課税台帳,千代田区三番町3-3,,,,,,,三番 次郎,大阪府大阪市北区梅田1-1-1,530-0001\n"
                   "課税台帳,千代田区四番町4-4,,,,,,,四番 三郎,北海道札幌市中央区北1条西2丁目,\n")
NAMES = ("千代田 一郎", "三番 次郎", "四番 三郎", "東京都千代田区千代田1-1", "530-0001", "090-1234-5678")
ANSWER = {"current_use": "unused", "intention": "sell", "akiya_bank": "yes", "contact_consent": "yes",
          "contact": "090-1234-5678"}


def _surveyed_town(world) -> int:
    """A contract with three owners, letters to the two with a postal code, one answered by postcard (with a
    contact), one returned."""
    c = contract(world)
    import_list(world, c, OWNERS)
    candidates = [cid for (cid,) in rows(world.db_path, "SELECT id FROM survey_candidates ORDER BY id")]
    as_user(world, "mori", lambda conn, u: make_letters(conn, SYSTEM, u, c, candidates, "https://akiya.example.jp"))
    first, second = [lid for (lid,) in rows(world.db_path, "SELECT id FROM owner_letters ORDER BY id")]
    as_user(world, "ueda", lambda conn, u: type_in_postcard(conn, SYSTEM, u, first, ANSWER))
    as_user(world, "ueda", lambda conn, u: mark_returned(conn, SYSTEM, u, second, "転居先不明"))
    return c


NO_CLASSES = HouseClasses(by_house={}, labels=[], missing=NOT_IN_REPORT)  # the tally without a report's classes


def _retention(world, c, login="mori"):
    async def run(db):
        async with db.read() as conn:
            return await retention_of(conn, await user_by_login(conn, login), c)
    return on_db(world, run)


def _report_counts(world, c):
    async def run(db):
        async with db.read() as conn:
            return await candidate_tally(conn, c), await owner_survey_tally(conn, c, NO_CLASSES, NO_CLASSES)
    return on_db(world, run)


def test_the_data_is_kept_a_year_after_the_contract_ends_unless_the_town_sets_another_day(world):
    c = contract(world)  # 2026-04-01 .. 2027-03-31
    assert str(keep_until(_retention(world, c))) == "2028-03-31"
    as_user(world, "mori", lambda conn, u: change_keep_until(conn, SYSTEM, u, c, "2027-09-30"))
    assert str(keep_until(_retention(world, c))) == "2027-09-30"
    as_user(world, "admin", lambda conn, u: change_keep_until(conn, SYSTEM, u, c, ""))
    assert str(keep_until(_retention(world, c))) == "2028-03-31"
    with pytest.raises(AppError) as bad:
        as_user(world, "mori", lambda conn, u: change_keep_until(conn, SYSTEM, u, c, "2027-02-30"))
    assert bad.value.status == 400 and "保存期限" in bad.value.message
    assert rows(world.db_path, "SELECT details FROM audit_log WHERE action = 'owner_data.keep_until' ORDER BY id") == [
        ('{"before":null,"after":"2027-09-30"}',), ('{"before":"2027-09-30","after":null}',)]


@pytest.mark.parametrize("login, status", [("ueda", 403), ("aoki", 404), ("kudo", 404), ("ono", 404)])
def test_only_the_towns_officers_and_the_admin_may_delete_or_change_the_date(world, login, status):
    c = _surveyed_town(world)
    for action in (lambda conn, u: delete_now(conn, SYSTEM, u, c, True),
                   lambda conn, u: change_keep_until(conn, SYSTEM, u, c, "2027-06-30")):
        with pytest.raises(AppError) as refused:
            as_user(world, login, action)
        assert refused.value.status == status
    assert rows(world.db_path, "SELECT count(*) FROM candidate_owners") == [(3,)]


def test_a_clerk_with_the_letters_permission_sees_owners_but_may_not_delete_them(world):
    c = _surveyed_town(world)

    async def allow(db):
        async with db.read() as conn:
            ueda = await user_by_login(conn, "ueda")
        await db.write(lambda conn: set_sees_owner_letters(conn, SYSTEM, ueda, True))
    on_db(world, allow)
    with pytest.raises(AppError) as refused:
        as_user(world, "ueda", lambda conn, u: delete_now(conn, SYSTEM, u, c, True))
    assert refused.value.status == 403 and "町の担当者と管理者だけ" in refused.value.message


def test_deleting_needs_the_confirmation(world):
    c = _surveyed_town(world)
    with pytest.raises(AppError) as unconfirmed:
        as_user(world, "mori", lambda conn, u: delete_now(conn, SYSTEM, u, c, False))
    assert unconfirmed.value.status == 400 and "元に戻せません" in unconfirmed.value.message
    assert rows(world.db_path, "SELECT count(*) FROM candidate_owners") == [(3,)]


def test_deletion_removes_names_addresses_postal_codes_and_contacts_and_the_report_still_reconciles(world):
    c = _surveyed_town(world)
    before = _report_counts(world, c)
    deleted = as_user(world, "mori", lambda conn, u: delete_now(conn, Actor(user_id=u.id), u, c, True))
    assert (deleted.owners, deleted.contacts) == (3, 1)
    assert rows(world.db_path, "SELECT count(*) FROM candidate_owners") == [(0,)]
    [(answers,)] = rows(world.db_path, "SELECT answers FROM owner_answers")
    assert "090-1234-5678" not in answers and '"intention": "sell"' in answers and '"contact_consent": "yes"' in answers
    assert rows(world.db_path, "SELECT count(*) FROM survey_candidates") == [(3,)]
    assert rows(world.db_path, "SELECT count(*), sum(CASE WHEN returned_reason <> '' THEN 1 ELSE 0 END) "
                               "FROM owner_letters") == [(2, 1)]
    after = _report_counts(world, c)
    assert after == before
    assert after[0].total == sum(n for _, n in after[0].outcomes)
    assert (after[1].sent, after[1].returned, after[1].answered, after[1].consented) == (2, 1, 1, 1)
    mori = world.users["mori"]
    assert rows(world.db_path, "SELECT user_id, entity_id, details FROM audit_log WHERE action = 'owner_data.delete'") == [
        (mori, str(c), '{"reason":"manual","keep_until":"2028-03-31","candidate_owners":3,"answer_contacts":1}')]
    audit_text = " ".join(d or "" for (d,) in rows(world.db_path, "SELECT details FROM audit_log"))
    assert not [name for name in NAMES if name in audit_text]
    with pytest.raises(AppError) as again:
        as_user(world, "admin", lambda conn, u: delete_now(conn, SYSTEM, u, c, True))
    assert again.value.status == 409 and "削除済み" in again.value.message


def test_the_nightly_purge_deletes_only_what_is_due_and_a_dry_run_changes_nothing(world, capsys):
    due = _surveyed_town(world)
    later = contract(world)
    import_list(world, later, OWNERS)
    as_user(world, "mori", lambda conn, u: change_keep_until(conn, SYSTEM, u, later, "2028-12-31"))
    db = str(world.db_path)
    with clock.stopped_at(datetime(2028, 4, 1, 0, 30, tzinfo=clock.JST)):  # the day after 2028-03-31, in Japan
        assert main(["candidates", "purge", "--dry-run", "--db", db]) == 0
        dry = capsys.readouterr().out
        assert rows(world.db_path, "SELECT count(*) FROM candidate_owners") == [(6,)]
        assert main(["candidates", "purge", "--db", db]) == 0
        done = capsys.readouterr().out
        assert main(["candidates", "purge", "--db", db]) == 0
        nothing = capsys.readouterr().out
    assert f"契約 {due}「令和8年度 空家等実態調査」（保存期限 2028年3月31日）: 所有者 3 件、回答の連絡先 1 件を削除します" in dry
    assert f"契約 {later}" not in dry and "何も変更していません" in dry
    assert f"契約 {due}" in done and "を削除しました" in done and f"契約 {later}" not in done
    assert "保存期限を過ぎた契約はありません" in nothing
    assert rows(world.db_path, "SELECT sc.contract_id, count(*) FROM candidate_owners o JOIN survey_candidates sc "
                               "ON sc.id = o.candidate_id GROUP BY sc.contract_id") == [(later, 3)]
    assert rows(world.db_path, "SELECT user_id, details FROM audit_log WHERE action = 'owner_data.delete'") == [
        (None, '{"reason":"due","keep_until":"2028-03-31","candidate_owners":3,"answer_contacts":1}')]


def test_on_the_last_day_nothing_is_due(world, capsys):
    _surveyed_town(world)
    with clock.stopped_at(datetime(2028, 3, 31, 23, 59, tzinfo=clock.JST)):
        assert main(["candidates", "purge", "--db", str(world.db_path)]) == 0
    assert "保存期限を過ぎた契約はありません" in capsys.readouterr().out
    assert rows(world.db_path, "SELECT count(*) FROM candidate_owners") == [(3,)]


def test_after_deletion_letters_and_owner_lists_say_when_it_was_deleted(world):
    c = _surveyed_town(world)
    with clock.stopped_at(datetime(2027, 5, 10, 10, 0, tzinfo=clock.JST)):
        as_user(world, "mori", lambda conn, u: delete_now(conn, SYSTEM, u, c, True))
    with pytest.raises(AppError) as letters:
        as_user(world, "mori", lambda conn, u: make_letters(conn, SYSTEM, u, c, None, "https://akiya.example.jp"))
    assert letters.value.status == 409 and "2027年5月10日 に削除した" in letters.value.message
    with pytest.raises(AppError) as with_owners:
        import_list(world, c, OWNERS.replace("一番町1-1,", "五番町5-5,", 1))
    assert with_owners.value.status == 409 and "所有者の列" in with_owners.value.message
    assert import_list(world, c, WATER)[1].new_candidates > 0  # a list without owners is still taken


def test_the_pages_show_the_date_offer_deletion_and_then_say_it_was_deleted(client, world):
    with clock.stopped_at(datetime(2027, 5, 10, 10, 0, tzinfo=clock.JST)):  # signed in on the day it is deleted
        _the_pages_before_and_after_deletion(client, world)


def _the_pages_before_and_after_deletion(client, world):
    c = _surveyed_town(world)
    sign_in(client, "mori")
    page = client.get(f"/office/contracts/{c}")
    assert "所有者の個人情報の保存期限" in page.text and "2028年3月31日 まで（既定：契約の終了日から1年）" in page.text
    assert "第10条第1項" in page.text and "今すぐ削除する" in page.text
    unconfirmed = post_form(client, f"/office/contracts/{c}/owner-data/delete", {}, page=f"/office/contracts/{c}")
    assert unconfirmed.status_code == 400 and "元に戻せません" in unconfirmed.text
    deleted = post_form(client, f"/office/contracts/{c}/owner-data/delete", {"confirm": "yes"},
                        page=f"/office/contracts/{c}")
    assert deleted.status_code == 303
    done = client.get(deleted.headers["location"])
    assert "所有者の個人情報を削除しました。" in done.text and "2027年5月10日 に削除しました" in done.text
    owners = client.get(f"/office/contracts/{c}/survey-candidates?owners=1")
    assert owners.status_code == 200 and "2027年5月10日 に削除しました" in owners.text
    assert "千代田 一郎" not in owners.text and "所有者（課税台帳）を表示する" not in owners.text
    letters = client.get(f"/office/contracts/{c}/owner-letters")
    assert letters.status_code == 200 and "2027年5月10日 に削除しました" in letters.text
    assert "選んだ候補の送付文書（PDF）を作る" not in letters.text
    sign_in(client, "ueda")
    clerk = client.get(f"/office/contracts/{c}")
    assert clerk.status_code == 200 and "所有者の個人情報の保存期限" not in clerk.text


def test_an_answer_that_comes_after_the_deletion_is_kept_without_its_contact(world):
    c = _surveyed_town(world)
    as_user(world, "mori", lambda conn, u: delete_now(conn, SYSTEM, u, c, True))
    first, _ = [lid for (lid,) in rows(world.db_path, "SELECT id FROM owner_letters ORDER BY id")]
    as_user(world, "ueda", lambda conn, u: type_in_postcard(conn, SYSTEM, u, first, {**ANSWER, "intention": "let"}))
    [(answers,)] = rows(world.db_path, "SELECT answers FROM owner_answers")
    assert '"intention": "let"' in answers and "090-1234-5678" not in answers and '"contact"' not in answers


def test_the_report_reads_the_same_after_the_deletion(as_, world, tmp_path):
    """The survey report's chapters 候補の抽出と結果の内訳 and 所有者意向調査, read back from the PDF."""
    import subprocess

    c = _surveyed_town(world)

    def report_text() -> str:
        pdf = as_("mori").get(f"/api/v1/reports/survey/{c}.pdf")
        assert pdf.status_code == 200
        (tmp_path / "survey.pdf").write_bytes(pdf.content)
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "survey.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        return text[text.index("候補の抽出と結果の内訳"):]

    before = report_text()
    as_user(world, "mori", lambda conn, u: delete_now(conn, SYSTEM, u, c, True))
    after = report_text()
    assert "発送 2 通 ／ 返戻 1 通 ／ 回答 1 件" in after and "候補" in after
    assert after == before
