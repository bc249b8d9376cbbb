"""Letters to the owners (所有者意向調査), read back from the PDF: the owner's address where the 長3
envelope's window is, the town's text, the questionnaire and the reply postcard, a QR code that zbarimg
reads as the answer page's URL with a one-time code stored only hashed. No letter for an owner without a
postal code (listed instead); only those who may see owners make letters, and it is audited."""

import asyncio
import hashlib
import re
import subprocess

import pytest

from reports.fonts import load_fonts
from reports.owner_letters import render_owner_letters
from server.core.audit import SYSTEM
from server.core.errors import AppError
from server.owner_survey.letters import make_letters
from server.users.queries import user_by_login
from tests.support.sql import rows
from tests.survey_candidates.lists import HEADER, contract, import_list, on_db

BASE = "https://akiya.example.jp"
# Three owners of three candidate houses: one without a postal code.
OWNERS = HEADER + ("課税台帳,千代田区一番町1-1,,,,,,,千代田 一郎,東京都千代田区千代田1-1,100-0001\n"
                   "課税台帳,千代田区三番町3-3,,,,,,,三番 次郎,大阪府大阪市北区梅田1-1-1 梅田ハイツ101号,530-0001\n"
                   "課税台帳,千代田区四番町4-4,,,,,,,四番 三郎,北海道札幌市中央区北1条西2丁目,\n")


def _letters(world, login, candidate_ids=None):
    async def run(db):
        async with db.read() as conn:
            user = await user_by_login(conn, login)
        return await db.write(lambda conn: make_letters(conn, SYSTEM, user, c_of(world), candidate_ids, BASE))
    return on_db(world, run)


def c_of(world):
    return rows(world.db_path, "SELECT id FROM survey_contracts ORDER BY id")[0][0]


def _candidates(world):
    return [cid for (cid,) in rows(world.db_path, "SELECT id FROM survey_candidates ORDER BY id")]


@pytest.fixture
def town(world):
    import_list(world, contract(world), OWNERS)
    return world


def _pdf(batch, tmp_path):
    path = tmp_path / "letters.pdf"
    path.write_bytes(render_owner_letters(batch.document, load_fonts()))
    return path


def _text(path, page=None, crop=None):
    args = ["pdftotext", "-layout"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    if crop:  # x, y, w, h in points from the page's top-left
        x, y, w, h = (str(round(v)) for v in crop)
        args += ["-r", "72", "-x", x, "-y", y, "-W", w, "-H", h]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_each_owner_with_a_postal_code_gets_a_letter_questionnaire_and_postcard(town, tmp_path):
    batch = _letters(town, "mori", _candidates(town))
    assert [n.why for n in batch.not_sent] == ["所有者の郵便番号がありません"]
    assert batch.not_sent[0].house_address == "千代田区四番町4-4"
    path = _pdf(batch, tmp_path)
    text = _text(path)
    assert text.count("空き家等の今後に関するアンケートへのご協力のお願い") == 2
    assert "千代田区では" in text and "四番 三郎" not in text
    assert "返信はがき" in text and "今後、この建物をどうしたいとお考えですか。" in text
    assert re.search(r"Pages:\s+7", subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout)
    last = _text(path, page=7)  # for the clerk: the house no letter was made for, and why; never the owner
    assert "千代田区四番町4-4" in last and "所有者の郵便番号がありません" in last and "四番 三郎" not in last


def test_the_address_block_sits_inside_the_envelope_window(town, tmp_path):
    batch = _letters(town, "mori", _candidates(town)[:2])
    path = _pdf(batch, tmp_path)
    mm = 72 / 25.4
    window = _text(path, page=4, crop=(20 * mm, 15 * mm, 90 * mm, 45 * mm))  # the second owner's letter
    assert "〒530-0001" in window and "大阪府大阪市北区梅田" in window and "三番 次郎 様" in window
    below_the_fold = _text(path, page=4, crop=(0, 99 * mm, 210 * mm, 198 * mm))
    assert "三番 次郎" not in below_the_fold  # nothing of the owner shows outside the window's panel


def test_the_qr_code_reads_as_the_answer_url_with_a_code_stored_only_hashed(town, tmp_path):
    batch = _letters(town, "mori", _candidates(town)[:1])
    path = _pdf(batch, tmp_path)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
    [png] = list(tmp_path.glob("p*.png"))
    url = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, check=True).stdout.strip()
    assert re.fullmatch(BASE + r"/kaito/[23456789A-HJKMNP-Z]{12}", url)
    code = url.rsplit("/", 1)[1]
    assert "千代田" not in url and "一郎" not in url
    assert batch.document.letters[0].printed_code.replace("-", "") == code
    stored = rows(town.db_path, "SELECT code_sha256 FROM owner_letters")
    assert stored == [(hashlib.sha256(code.encode()).hexdigest(),)]
    assert code not in str(rows(town.db_path, "SELECT * FROM owner_letters"))
    assert code in _text(path).replace("-", "")


def test_a_reprint_issues_a_new_code_and_the_old_one_stops_working(town):
    first = _letters(town, "mori", _candidates(town)[:1]).document.letters[0].printed_code
    second = _letters(town, "mori", _candidates(town)[:1]).document.letters[0].printed_code
    assert first != second
    assert rows(town.db_path, "SELECT count(*) FROM owner_letters") == [(1,)]


@pytest.mark.parametrize("login", ["ueda", "aoki", "ono"])
def test_only_those_who_may_see_owners_make_letters(town, login):
    with pytest.raises(AppError) as refused:
        _letters(town, login, _candidates(town))
    assert refused.value.status == 403
    assert rows(town.db_path, "SELECT count(*) FROM owner_letters") == [(0,)]


def test_making_letters_is_audited_without_owner_names(town):
    _letters(town, "mori", _candidates(town))
    actions = rows(town.db_path, "SELECT action, details FROM audit_log WHERE action IN "
                                 "('candidate_owners.letters', 'owner_letters.issue') ORDER BY id")
    assert [a for a, _ in actions] == ["candidate_owners.letters", "owner_letters.issue"]
    assert "一郎" not in str(actions)


def _save_settings(world, login, text, deadline):
    from server.owner_survey.letters import save_letter_settings

    async def run(db):
        async with db.read() as conn:
            user = await user_by_login(conn, login)
        await db.write(lambda conn: save_letter_settings(conn, SYSTEM, user, c_of(world), text, deadline))
    return on_db(world, run)


def test_the_towns_own_text_and_deadline_go_into_the_letters_and_a_bad_one_is_refused_in_japanese(town, tmp_path):
    with pytest.raises(AppError) as refused:
        _save_settings(town, "mori", "お願い\n{所有者名}様、{回答期限}までに。", "2027-02-15")
    assert refused.value.status == 400 and "{所有者名}" in refused.value.message
    with pytest.raises(AppError) as bad_day:
        _save_settings(town, "mori", "お願い\n本文", "2月15日")
    assert bad_day.value.status == 400
    _save_settings(town, "mori", "青葉川町からのお願い\n{自治体名}の空き家について、{回答期限}までにお答えください。",
                   "2027-02-15")
    text = _text(_pdf(_letters(town, "mori", _candidates(town)[:1]), tmp_path))
    assert "青葉川町からのお願い" in text and "千代田区の空き家について、2027年2月15日までに" in text
    assert rows(town.db_path, "SELECT count(*) FROM audit_log WHERE action = 'owner_survey.settings'") == [(1,)]
