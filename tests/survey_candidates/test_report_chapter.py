"""The survey report's chapter 「候補の抽出と結果の内訳」, read back from the PDF: every candidate in exactly
one outcome, the line adding up to the number of candidates."""

import re
import subprocess

from server.core.audit import SYSTEM
from server.survey_candidates.queries import set_outcome
from server.users.queries import user_by_login
from tests.support.field import survey_visit
from tests.support.sql import execute, rows
from tests.survey_candidates.lists import WATER, contract, import_list, on_db

LINE = re.compile(r"候補 (\d+) = 調査 (\d+) \+ 居住中 (\d+) \+ 更地 (\d+) \+ 所在不明 (\d+) \+ 対象外 (\d+) \+ 未了 (\d+)")


def _approve(as_, visit):
    phone, ueda = as_("aoki"), as_("ueda")
    assert phone.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(phone)) == {201}
    assert ueda.post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200


def _outcome(world, address, outcome, reason=""):
    [(candidate,)] = rows(world.db_path, "SELECT id FROM survey_candidates WHERE address = ?", address)

    async def run(db):
        async with db.read() as conn:
            user = await user_by_login(conn, "ueda")
        await db.write(lambda conn: set_outcome(conn, SYSTEM, user, candidate, outcome, reason, set()))
    on_db(world, run)


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "survey.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_report_reconciles_every_candidate_to_one_outcome(world, as_, tmp_path):
    c = contract(world)
    execute(world.db_path, "INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)",
            c, world.properties["surveyed"])
    _approve(as_, survey_visit(world))
    import_list(world, c, WATER)  # 一番町1-1 (linked), 二番町2 (queue), 六番町9-9 (new)
    import_list(world, c, "出典,住所\n通報,千代田区二番町二番地の二\n目視,千代田区五番町5\n")
    _outcome(world, "千代田区六番町9-9", "excluded", "店舗（住宅ではない）")
    _outcome(world, "千代田区五番町5", "cleared")
    response = as_("mori").get(f"/api/v1/reports/survey/{c}.pdf")
    assert response.status_code == 200
    text = _pdf_text(response.content, tmp_path)
    assert "候補の抽出と結果の内訳" in text
    [found] = LINE.findall(re.sub(r"\s+", " ", text))
    total, *parts = map(int, found)
    assert (total, parts) == (5, [1, 0, 1, 0, 1, 2])
    assert total == sum(parts) == rows(world.db_path, "SELECT count(*) FROM survey_candidates")[0][0]
    assert "店舗（住宅ではない）" in text and "照合が済んでいない候補が 1 件" in text


def test_a_contract_without_candidate_lists_has_no_such_chapter(world, as_, tmp_path):
    c = contract(world)
    execute(world.db_path, "INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)",
            c, world.properties["surveyed"])
    _approve(as_, survey_visit(world))
    text = _pdf_text(as_("mori").get(f"/api/v1/reports/survey/{c}.pdf").content, tmp_path)
    assert "候補の抽出と結果の内訳" not in text
