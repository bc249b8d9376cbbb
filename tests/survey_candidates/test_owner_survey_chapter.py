"""The survey report's chapter 「所有者意向調査」, read back from the PDF: letters sent, returned and
answered (web and paper), the 回収率 both ways, the answers' breakdown and 今後の意向 by 利活用判定 and by
不良度; no owner's name anywhere in the report."""

import re
import subprocess

from server.core.audit import SYSTEM
from server.owner_survey import queries as q
from server.owner_survey.letters import make_letters
from server.users.queries import user_by_login
from tests.support.field import survey_visit
from tests.support.sql import execute, rows
from tests.survey_candidates.lists import HEADER, contract, import_list, on_db

OWNERS = HEADER + ("課税台帳,千代田区一番町1-1,,,,,,,千代田 一郎,東京都千代田区千代田1-1,100-0001\n"
                   "課税台帳,千代田区三番町3-3,,,,,,,三番 次郎,大阪府大阪市北区梅田1-1-1,530-0001\n"
                   "課税台帳,千代田区五番町5-5,,,,,,,五番 四郎,京都府京都市下京区1,600-8216\n")


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "survey.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_chapter_counts_letters_answers_and_intentions_without_names(world, as_, tmp_path):
    c = contract(world)
    execute(world.db_path, "INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)",
            c, world.properties["surveyed"])
    visit = survey_visit(world)
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_("aoki"))) == {201}
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    import_list(world, c, OWNERS)
    candidates = [cid for (cid,) in rows(world.db_path, "SELECT id FROM survey_candidates ORDER BY id")]

    async def run(db):
        async with db.read() as conn:
            mori = await user_by_login(conn, "mori")
        await db.write(lambda conn: make_letters(conn, SYSTEM, mori, c, candidates, "https://akiya.example.jp"))
        letters = [r for (r,) in rows(world.db_path, "SELECT id FROM owner_letters ORDER BY id")]
        await db.write(lambda conn: q.save_answer(conn, SYSTEM, letters[0], {
            "current_use": "unused", "intention": "sell", "troubles": ["distance", "cost"], "akiya_bank": "yes",
            "contact_consent": "yes"}, "web"))
        await db.write(lambda conn: q.save_answer(conn, SYSTEM, letters[1], {
            "current_use": "storage", "intention": "maintain", "troubles": ["cost"], "contact_consent": "no"}, "paper"))
        await db.write(lambda conn: q.record_return(conn, SYSTEM, letters[2], "転居先不明"))
    on_db(world, run)

    response = as_("mori").get(f"/api/v1/reports/survey/{c}.pdf")
    assert response.status_code == 200
    text = re.sub(r"[ \t]+", " ", _pdf_text(response.content, tmp_path))
    chapter = text[text.index("所有者意向調査"):]
    assert "発送 3 通 ／ 返戻 1 通 ／ 回答 2 件（Web 1、はがき 1）" in chapter
    assert "回収率 66.7%（回答数 ÷ 発送数）、返戻を除く回収率 100.0%" in chapter
    assert re.search(r"売却したい\s+1", chapter) and re.search(r"このまま維持管理する\s+1", chapter)
    assert re.search(r"管理や修繕の費用が負担\s+2", chapter) and re.search(r"転居先不明\s+1", chapter)
    assert "町からの連絡に同意した回答：1 件" in chapter
    assert "利活用判定（外観からの目安）と今後の意向" in chapter
    # 今後の意向 by 不良度: the class the summary counts the surveyed house in, printed though nobody of it
    # answered; the two owners who answered have no approved survey (売却したい 1, このまま維持管理する 1).
    statutory = chapter[chapter.index("不良度（住宅地区改良法施行規則 別表第1）と今後の意向"):chapter.index("調査物件一覧")]
    assert re.search(r"不良住宅に当たらない（不良度100未満）( 0){7}\n", statutory)
    assert re.search(r"調査結果なし（未調査・未承認） 1 0 0 0 1 0 2\n", statutory)
    for name in ("千代田 一郎", "三番 次郎", "五番 四郎", "梅田"):
        assert name not in text
