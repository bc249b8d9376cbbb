"""The office's page of the owners' survey: the town's officer makes the letters' PDF for the houses ticked
(owners without a postal code on a last page for the clerk), a clerk without the letters permission cannot,
postcards are typed in and returned letters listed for the town's owner tracing, without owner names."""

import subprocess

from tests.office.pages import post_form, sign_in
from tests.support.sql import rows
from tests.survey_candidates.lists import HEADER, contract, import_list

OWNERS = HEADER + ("課税台帳,千代田区一番町1-1,,,,,,,千代田 一郎,東京都千代田区千代田1-1,100-0001\n"
                   "課税台帳,千代田区四番町4-4,,,,,,,四番 三郎,北海道札幌市中央区北1条西2丁目,\n")


def _town(world):
    c = contract(world)
    import_list(world, c, OWNERS)
    return c, [cid for (cid,) in rows(world.db_path, "SELECT id FROM survey_candidates ORDER BY id")]


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letters.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_towns_officer_makes_the_letters_of_the_ticked_houses(client, world, tmp_path):
    c, candidates = _town(world)
    sign_in(client, "mori")
    page = client.get(f"/office/contracts/{c}/owner-letters")
    assert page.status_code == 200 and "選んだ候補の送付文書（PDF）を作る" in page.text
    assert "千代田 一郎" not in page.text
    made = post_form(client, f"/office/contracts/{c}/owner-letters.pdf", {"candidate": candidates},
                     page=f"/office/contracts/{c}/owner-letters")
    assert made.status_code == 200 and made.headers["content-type"] == "application/pdf"
    text = _pdf_text(made.content, tmp_path)
    assert "千代田 一郎 様" in text and "〒100-0001" in text
    assert "送付文書を作らなかった候補" in text and "所有者の郵便番号がありません" in text and "四番 三郎" not in text
    assert rows(world.db_path, "SELECT count(*) FROM owner_letters") == [(1,)]


def test_a_clerk_without_the_letters_permission_cannot_make_letters(client, world):
    c, candidates = _town(world)
    sign_in(client, "ueda")
    page = client.get(f"/office/contracts/{c}/owner-letters")
    assert "選んだ候補の送付文書（PDF）を作る" not in page.text and "許可した郵便局の担当者だけ" in page.text
    refused = post_form(client, f"/office/contracts/{c}/owner-letters.pdf", {"candidate": candidates},
                        page=f"/office/contracts/{c}/owner-letters")
    assert refused.status_code == 403
    assert rows(world.db_path, "SELECT count(*) FROM owner_letters") == [(0,)]


def test_returned_letters_are_listed_and_postcards_typed_in(client, world):
    c, candidates = _town(world)
    sign_in(client, "mori")
    post_form(client, f"/office/contracts/{c}/owner-letters.pdf", {"candidate": candidates},
              page=f"/office/contracts/{c}/owner-letters")
    [(letter,)] = rows(world.db_path, "SELECT id FROM owner_letters")
    sign_in(client, "ueda")
    wrong = post_form(client, f"/office/owner-letters/{letter}/paper", {"current_use": "unused"},
                      page=f"/office/owner-letters/{letter}/paper")
    assert wrong.status_code == 422 and "に答えてください" in wrong.text
    typed = post_form(client, f"/office/owner-letters/{letter}/paper",
                      {"current_use": "unused", "intention": "demolish", "troubles": ["demolition_cost", "cost"],
                       "contact_consent": "no"}, page=f"/office/owner-letters/{letter}/paper")
    assert typed.status_code == 303
    assert rows(world.db_path, "SELECT channel, answers FROM owner_answers") == [
        ("paper", '{"current_use": "unused", "intention": "demolish", "troubles": ["demolition_cost", "cost"], '
                  '"contact_consent": "no"}')]
    returned = post_form(client, f"/office/owner-letters/{letter}/returned", {"reason": "転居先不明"},
                         page=f"/office/contracts/{c}/owner-letters")
    assert returned.status_code == 303
    page = client.get(f"/office/contracts/{c}/owner-letters")
    assert "千代田区一番町1-1 — 転居先不明" in page.text
