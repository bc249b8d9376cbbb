"""The contract's candidate page: the clerk uploads a list, settles the queue, records outcomes; the town
reads the same page; owners appear only on request, for those allowed, and the look is audited."""

import re

from tests.office.pages import post_form, sign_in
from tests.support.sql import rows
from tests.survey_candidates.lists import LEDGER, WATER, contract, import_list


def _url(c):
    return f"/office/contracts/{c}/survey-candidates"


def _reconciliation(page: str) -> str:
    return re.sub(r"\s+", " ", re.search(r'<p class="reconciliation">(.*?)</p>', page, re.S)[1])


def test_the_clerk_uploads_a_list_and_sees_the_encoding_and_counts(client, world):
    c = contract(world)
    sign_in(client, "ueda")
    response = post_form(client, _url(c), page=_url(c), files={"file": ("water.csv", WATER.encode("cp932"), "text/csv")})
    assert response.status_code == 200
    assert "文字コード Shift_JIS として読みました（3 行）" in response.text
    assert "新しい候補 3 件" in response.text and "照合待ち 1 件" in response.text
    assert _reconciliation(response.text) == "候補 3 件 ＝ 調査済 0 ＋ 居住中 0 ＋ 更地・建替中 0 ＋ 所在不明 0 ＋ 対象外 0 ＋ 未了 3"


def test_a_bad_list_shows_line_column_and_reason_and_stores_nothing(client, world):
    c = contract(world)
    sign_in(client, "ueda")
    bad = "出典,住所,建築年\n水道,一番町1-1,来年\n"
    response = post_form(client, _url(c), page=_url(c), files={"file": ("bad.csv", bad.encode(), "text/csv")})
    assert response.status_code == 400
    assert re.search(r"<td>2</td><td>建築年</td><td>建築年「来年」は", response.text)
    assert rows(world.db_path, "SELECT count(*) FROM survey_candidates") == [(0,)]


def test_the_clerk_settles_the_queue_and_records_an_outcome(client, world):
    c = contract(world)
    import_list(world, c, WATER)
    sign_in(client, "ueda")
    page = client.get(_url(c)).text
    assert "照合待ち（1 件）" in page and "東京都千代田区二番町2-2" in page
    [(near,)] = rows(world.db_path, "SELECT id FROM survey_candidates WHERE match_state = 'ambiguous'")
    done = post_form(client, f"/office/survey-candidates/{near}/resolve", {"choice": "not_found"},
                     page=_url(c))
    assert done.status_code == 303
    [(new,)] = rows(world.db_path, "SELECT id FROM survey_candidates WHERE match_state = 'new'")
    post_form(client, f"/office/survey-candidates/{new}/outcome", {"outcome": "cleared"}, page=_url(c))
    page = client.get(_url(c)).text
    assert "照合待ち（0 件）" in page
    assert _reconciliation(page) == "候補 3 件 ＝ 調査済 0 ＋ 居住中 0 ＋ 更地・建替中 1 ＋ 所在不明 1 ＋ 対象外 0 ＋ 未了 1"


def test_excluded_without_a_reason_is_a_clear_error_not_a_500(client, world):
    c = contract(world)
    import_list(world, c, WATER)
    sign_in(client, "ueda")
    [(new,)] = rows(world.db_path, "SELECT id FROM survey_candidates WHERE match_state = 'new'")
    response = post_form(client, f"/office/survey-candidates/{new}/outcome", {"outcome": "excluded"},
                         page=_url(c))
    assert response.status_code == 400 and "対象外にするときは、その理由を書いてください。" in response.text


def test_owners_show_only_on_request_to_the_town_and_each_look_is_audited(client, world):
    c = contract(world)
    import_list(world, c, LEDGER)
    sign_in(client, "mori")
    assert "千代田 一郎" not in client.get(_url(c)).text
    shown = client.get(_url(c) + "?owners=1").text
    assert "千代田 一郎" in shown and "郵便番号 〒000-0000 は日本郵便の郵便番号データにありません。" in shown
    assert rows(world.db_path, """SELECT u.login FROM audit_log a JOIN users u ON u.id = a.user_id
                                  WHERE a.action = 'candidate_owners.view'""") == [("mori",)]
    sign_in(client, "ueda")  # a clerk without the letters permission
    page = client.get(_url(c) + "?owners=1").text
    assert "千代田 一郎" not in page and "所有者（課税台帳）を表示する" not in page


def test_a_carrier_and_another_office_get_no_candidate_page(client, world):
    c = contract(world)
    import_list(world, c, WATER)
    sign_in(client, "kudo")
    assert client.get(_url(c)).status_code == 404
    sign_in(client, "aoki")
    assert client.get(_url(c), follow_redirects=False).status_code in (302, 303, 403)


def test_an_unknown_choice_or_outcome_is_a_clear_400(client, world):
    c = contract(world)
    import_list(world, c, WATER)
    sign_in(client, "ueda")
    [(near,)] = rows(world.db_path, "SELECT id FROM survey_candidates WHERE match_state = 'ambiguous'")
    wrong = post_form(client, f"/office/survey-candidates/{near}/resolve", {"choice": "guess"}, page=_url(c))
    assert wrong.status_code == 400 and "候補の家屋から1つ選ぶか" in wrong.text
    empty = post_form(client, f"/office/survey-candidates/{near}/outcome", {}, page=_url(c))
    assert empty.status_code == 400 and "結果を「居住中」「更地・建替中」「所在不明」「対象外」から選んでください。" in empty.text


def test_an_oversized_list_is_refused_with_the_limit(client, world):
    c = contract(world)
    sign_in(client, "ueda")
    big = (WATER + "水道,千代田区七番町7-7,,,,,,,,,\n" * 200_000).encode()  # ~8 MB: over the list limit, under the request limit
    response = post_form(client, _url(c), page=_url(c), files={"file": ("big.csv", big, "text/csv")})
    assert response.status_code == 400 and "CSV が大きすぎます（5 MB まで）" in response.text
    assert rows(world.db_path, "SELECT count(*) FROM survey_candidates") == [(0,)]
