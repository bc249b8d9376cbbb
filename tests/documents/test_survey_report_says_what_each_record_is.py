"""The survey report never contradicts itself: a first-form record is labelled as such everywhere and its
total is never called 不良度, the report sorts by a stated 優先度, every printed rank has a label, the
ledger's disagreement is shown, and an interim 空き家率 says it is one. Read back with pdftotext.

Every visit is dated 2026-06-15 inside a contract of 2026-04-01..2027-03-31: no test reads today's date.
"""

import asyncio
import csv
import io
import json
import subprocess
from datetime import datetime

import pytest

from server.core.clock import JST, stopped_at
from tests.support.answers import minimal_answers
from tests.support.field import RUBRICS, Visit

WHEN = datetime(2026, 6, 15, 10, 0, tzinfo=JST)


@pytest.fixture(autouse=True)
def an_hour_after_the_visits():
    """The server's clock stands at 2026-06-15 11:00 JST for the whole test (the world's tasks too)."""
    with stopped_at(datetime(2026, 6, 15, 11, 0, tzinfo=JST)):
        yield
V1_NOTE = "第1版の調査票による。不良度（別表第1）は算定していません"


def _db(world, fn):
    from server.db import database_for

    async def run():
        async with database_for(world.db_path, readers=1) as db:
            return await db.write(fn)
    return asyncio.run(run())


def _contract(world, houses: list[str], houses_in_area: int | None = 100) -> int:
    async def make(conn):
        cur = await conn.execute(
            """INSERT INTO survey_contracts (municipality_code, office_code, title, period_start, period_end,
               rubric_id, rubric_version, created_at, contract_no, houses_in_area)
               VALUES ('131016', '10001', '令和8年度 空家等実態調査', '2026-04-01', '2027-03-31',
                       'municipal_survey', 2, '2026-04-01', '千代田区契第8-15号', ?)""", (houses_in_area,))
        for key in houses:
            await conn.execute("INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)",
                               (cur.lastrowid, world.properties[key]))
        return cur.lastrowid
    return _db(world, make)


def _ledger(world, house: str, building_use: str, structure: str) -> None:
    async def write(conn):
        await conn.execute("UPDATE properties SET building_use = ?, structure = ? WHERE id = ?",
                           (building_use, structure, world.properties[house]))
    _db(world, write)


def _survey_task(world, house: str, carrier: str, version: int) -> str:
    from server.core.audit import SYSTEM
    from server.tasks.queries import add_task

    async def task(conn):
        return await add_task(conn, SYSTEM, property_id=world.properties[house], kind="survey",
                              rubric_id="municipal_survey", rubric_version=version, due_date="2027-03-31",
                              assignee_id=world.users[carrier])
    return _db(world, task)


def _visit(world, house: str, carrier: str, *, version: int, overrides: dict, lat: float, lon: float) -> Visit:
    visit = Visit(property_id=world.properties[house], rubric_id="municipal_survey",
                  task_id=_survey_task(world, house, carrier, version), lat=lat, lon=lon, finished=WHEN,
                  photo_seed=len(house))
    if version != visit.inspection["rubric_version"]:
        rubric = RUBRICS.get("municipal_survey", version)
        visit.inspection.update(rubric_version=version, answers=minimal_answers(rubric, (), overrides))
    else:
        visit.inspection["answers"].update(overrides)
    return visit.add_photos_the_answers_need()  # the findings set above need their photo


def _approve(as_, visit, carrier, clerk):
    phone = as_(carrier)
    assert phone.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(phone)) == {201}
    assert as_(clerk).post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200


def _mixed_contract(world, as_) -> int:
    """二番町 (aoki): a v2 survey with 崩壊の危険 (至急, 不良住宅) of a house the ledger calls 店舗・鉄骨造;
    神田三崎町 (kato): a v1 survey with 落下のおそれ and 景観 (v1 total 65); 一番町: not surveyed."""
    contract = _contract(world, ["surveyed", "north", "watched"])
    _ledger(world, "surveyed", "店舗", "鉄骨造")
    _approve(as_, _visit(world, "surveyed", "aoki", version=2, lat=35.6880, lon=139.7380,
                         overrides={"s2_frame": "collapse_risk", "comment": "南側の柱が傾いている"}), "aoki", "ueda")
    _approve(as_, _visit(world, "north", "kato", version=1, lat=35.7000, lon=139.7550,
                         overrides={"falling_risk": True, "streetscape": True}), "kato", "kudo")
    return contract


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "survey.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def test_a_first_form_record_is_labelled_and_its_total_is_never_called_futyoudo(world, as_, tmp_path):
    contract = _mixed_contract(world, as_)
    text = _text(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf").content, tmp_path)
    flat = text.replace("\n", "")
    assert V1_NOTE in flat
    assert "合計点（第1版）" in flat
    assert "不良度100以上）" not in flat.replace("不良住宅（不良度100以上）", "")  # v1's 「重度（不良度100以上）」 is gone
    assert "算定あり 1件・算定なし 1件（第1版の調査票による 1件）" in flat  # the front matter


def test_the_list_and_sheets_go_by_priority_which_the_method_section_states(world, as_, tmp_path):
    contract = _mixed_contract(world, as_)
    text = _text(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf").content, tmp_path).replace("\n", "")
    assert "優先度：① 至急の所見がある物件、又は不良住宅" in text
    listing = text[text.index("調査物件一覧（優先度の順）"):]
    # 二番町 is 0001 by the contract's order but 神田三崎町 (0002) has no urgent finding: 二番町 still first,
    # and the sheets follow the same order.
    assert listing.index("1（至急・不良住宅）") < listing.index("二番町2-2") < listing.index("神田三崎町3-3")
    sheets = text[text.index("No.0001"):]
    assert "No.0002" in sheets


def test_every_rank_the_tables_print_has_a_label_in_the_legend(world, as_, tmp_path):
    contract = _mixed_contract(world, as_)
    rows = _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))
    text = _text(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf").content, tmp_path)
    legend = text[text.index("ランク：自治体の基準によります"):text.index("所見の緊急度")]
    printed = {r["危険度（自治体基準）のランク"] or r["合計点（第1版）のランク"] for r in rows}
    assert printed == {"C", "B（第1版）"}  # 危険度 0 on the second form; 50 + 15 on the first
    for rank in printed:
        assert rank in legend
    assert "中度（合計点50〜99）" in legend.replace("\n", "")


def test_the_list_keeps_each_forms_score_in_its_own_columns_and_the_comment_once(world, as_):
    contract = _mixed_contract(world, as_)
    by_ref = {r["整理番号"]: r for r in _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))}
    v2, v1 = by_ref["0001"], by_ref["0002"]
    assert (v2["危険度（自治体基準）"], v2["合計点（第1版）"]) == ("0", "")
    assert (v1["危険度（自治体基準）"], v1["合計点（第1版）"]) == ("", "65")
    assert v1["調査票の注記"] == V1_NOTE and v2["調査票の注記"] == ""
    assert v1["不良度（別表第1）の判定"] == "算定なし"
    assert v2["不良度（別表第1）の判定"] == "不良住宅（不良度100以上）"
    assert v2["優先度"] == "1（至急・不良住宅）"
    assert v2["コメント"] == "南側の柱が傾いている"
    assert not any(column == "回答：自由記入" for column in v2)


def test_a_house_the_ledger_records_otherwise_carries_ledger_differs(world, as_, tmp_path):
    contract = _mixed_contract(world, as_)
    by_ref = {r["整理番号"]: r for r in _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))}
    assert by_ref["0001"]["台帳と相違"] == ("構造：台帳は鉄骨造、調査の回答は木造／"
                                         "用途：台帳は店舗（不良度の別表第1は住宅の基準です）")
    assert by_ref["0002"]["台帳と相違"] == ""
    text = _text(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf").content, tmp_path).replace("\n", "")
    assert "台帳と相違" in text and "構造：台帳は鉄骨造、調査の回答は木造" in text


def test_a_vacancy_rate_with_houses_left_to_survey_is_an_interim_figure(world, as_, tmp_path):
    contract = _mixed_contract(world, as_)
    text = _text(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf").content, tmp_path).replace("\n", "")
    assert "空き家率（中間値）" in text
    assert "中間値：契約対象のうち 1 件が未調査または確認中で、含まれていません" in text


def test_an_unknown_structure_prints_undetermined_never_outside_the_table(world, as_, tmp_path):
    contract = _contract(world, ["surveyed"])
    _approve(as_, _visit(world, "surveyed", "aoki", version=2, lat=35.6880, lon=139.7380,
                         overrides={"structure_type": "unknown"}), "aoki", "ueda")
    text = _text(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf").content, tmp_path).replace("\n", "")
    assert "判定不能（構造不明）" in text
    sheet = text[text.index("No.0001"):text.index("付録", text.index("No.0001"))]  # the flow page names 付録 too
    assert "別表第1の対象外" not in sheet
    row = _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))[0]
    assert row["不良度（別表第1）の判定"] == "判定不能（構造不明）" and row["優先度"] == "2（判定不能）"


def test_a_roof_slip_recorded_before_the_leak_rule_was_corrected_prints_the_corrected_range(world, as_):
    # A v2 visit received when 2(四)イ still counted 15 without a visible leak: its stored range says 15〜15.
    contract = _contract(world, ["surveyed"])
    visit = _visit(world, "surveyed", "aoki", version=2, lat=35.6880, lon=139.7380, overrides={"s2_roof": "partial"})
    _approve(as_, visit, "aoki", "ueda")

    async def old_score(conn):
        async with conn.execute("SELECT result FROM inspections WHERE id = ?", (visit.id,)) as cur:
            result = json.loads((await cur.fetchone())[0])
        result["statutory"].update(min=15, max=15, unseen=[])
        result["statutory"]["min_points"]["s2_decay"] = 15
        await conn.execute("UPDATE inspections SET result = ? WHERE id = ?", (json.dumps(result), visit.id))
    _db(world, old_score)
    row = _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))[0]
    assert (row["不良度（別表第1）下限"], row["不良度（別表第1）上限"]) == ("0", "15")
    assert "2(四) 屋根" in row["外から確認できない評定項目"]


def test_a_roof_slip_without_a_visible_leak_prints_0_to_15_and_the_method_names_the_guide(world, as_, tmp_path):
    contract = _contract(world, ["surveyed"])
    _approve(as_, _visit(world, "surveyed", "aoki", version=2, lat=35.6880, lon=139.7380,
                         overrides={"s2_roof": "partial"}), "aoki", "ueda")
    text = _text(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf").content, tmp_path).replace("\n", "")
    assert "国土交通省「外観目視による住宅の不良度判定の手引き（案）」（平成23年12月）" in text
    assert "本調査はその手引きの判定表ではなく、住宅地区改良法施行規則 別表第1の評定項目と評点をそのまま用い" in text
    assert "雨もりが見えないときは下限0・上限15" in text  # the rule, stated with the criteria
    sheet = text[text.index("No.0001"):text.index("付録", text.index("No.0001"))]  # the flow page names 付録 too
    assert "屋根ぶき材料の一部に剥落又はずれ（雨もりは外から確認できない）" in sheet  # the answer as printed
    assert "0〜15（100）" in sheet  # 評定区分2: 下限〜上限（最高評点）
