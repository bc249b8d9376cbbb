"""The survey report's 利活用判定: on a v3 contract, a chapter with the criteria printed from the rubric, the
houses by class and their counts; each house sheet, the CSV and the GeoJSON carry the class and its reasons.
A v2 contract prints and exports exactly what it did before (no chapter, no column). Read back with pdftotext.

Every visit is dated 2026-06-15 inside a contract of 2026-04-01..2027-03-31: no test reads today's date.
"""

import csv
import io
import json
import subprocess
from datetime import datetime

import pytest

from server.core.clock import JST, stopped_at
from server.documents.reuse import reuse_criteria
from tests.support.field import RUBRICS
from tests.support.survey_contract import survey_contract, surveyed, v3_contract

CLASS = "活用可能性（外観からの目安）"


@pytest.fixture(autouse=True)
def an_hour_after_the_visits():
    with stopped_at(datetime(2026, 6, 15, 11, 0, tzinfo=JST)):
        yield


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "survey.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _csv(response) -> dict[str, dict]:
    return {r["所在地"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))}


def test_the_chapter_prints_the_rubrics_criteria_the_counts_and_each_house_with_its_reasons(world, as_, tmp_path):
    contract = v3_contract(world, as_)
    flat = _text(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf").content, tmp_path).replace("\n", "")
    assert "利活用判定" in flat and "市場価値" in flat and "空家等の認定でもありません" in flat
    for criterion in reuse_criteria(RUBRICS.get("municipal_survey", 3)).classes:  # the table is the rubric's
        for condition in criterion.conditions:
            assert condition.reason.replace("\n", "") in flat
            assert condition.test.replace(" ", "") in flat.replace(" ", "")
    assert "建築基準法第43条第1項" in flat
    assert "利活用判定の分布図" in flat and "色は利活用判定の区分" in flat
    counts = flat[flat.index("区分ごとの件数"):]
    assert "そのまま活用可能0修繕により活用可能1除却が望ましい1判定不能1合計3" in counts.replace(" ", "")
    # The house sheets: the class and why.
    assert "修繕により活用可能（新耐震基準より前の建築" in flat
    assert "除却が望ましい（建物の倒壊のおそれ）" in flat  # the sheet drops a reason's closing note
    assert "判定不能（建築年：台帳に記録なし／接道（前面道路の幅員）：接道なし・不明）" in flat
    assert "建築 1981-05-31" in flat  # the ledger's date, printed where the class is read from


def test_the_list_and_the_gis_data_carry_the_class_its_reasons_and_the_ledgers_date(world, as_):
    contract = v3_contract(world, as_)
    rows = _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))
    assert rows["東京都千代田区二番町2-2"][CLASS] == "修繕により活用可能"
    assert rows["東京都千代田区二番町2-2"]["建築年月日（台帳）"] == "1981-05-31"
    assert rows["東京都千代田区神田三崎町3-3"][CLASS] == "除却が望ましい"
    assert rows["東京都千代田区一番町1-1"][CLASS] == "判定不能"
    assert rows["東京都千代田区一番町1-1"]["活用可能性の理由"] == "建築年：台帳に記録なし／接道（前面道路の幅員）：接道なし・不明"
    features = json.loads(as_("mori").get(f"/api/v1/reports/survey/{contract}.geojson").content)["features"]
    by_address = {f["properties"]["所在地"]: f["properties"] for f in features}
    assert by_address["東京都千代田区神田三崎町3-3"][CLASS] == "除却が望ましい"
    assert by_address["東京都千代田区神田三崎町3-3"]["建築年月日（台帳）"] == "1981-06-01"


def test_a_v2_survey_in_a_v3_contract_is_undetermined_because_its_form_recorded_no_road(world, as_):
    contract = survey_contract(world, 3, {"surveyed": "1990"})
    surveyed(as_, world, "surveyed", "aoki", "ueda", 2, {})
    row = _csv(as_("mori").get(f"/api/v1/reports/survey/{contract}.csv"))["東京都千代田区二番町2-2"]
    assert (row[CLASS], row["活用可能性の理由"]) == ("判定不能", "第2版の調査票には利活用判定の項目（接道など）がありません")
    assert row["調査票の版"] == "第2版"


def test_a_v2_contract_prints_and_exports_exactly_as_before(world, as_, tmp_path):
    from server.rubrics import score
    from tests.support.answers import minimal_answers

    contract = survey_contract(world, 2, {"surveyed": "1970"})
    surveyed(as_, world, "surveyed", "aoki", "ueda", 2, {"s2_wall": "exposed"})
    mori = as_("mori")
    text = _text(mori.get(f"/api/v1/reports/survey/{contract}.pdf").content, tmp_path)
    flat = text.replace("\n", "")
    assert "利活用" not in flat
    assert "活用可能性" not in flat
    assert "建築 1970" not in flat
    response = mori.get(f"/api/v1/reports/survey/{contract}.csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert "活用可能性" not in header and "建築年月日" not in header
    row = _csv(response)["東京都千代田区二番町2-2"]
    v2 = RUBRICS.get("municipal_survey", 2)
    expected = score(v2, minimal_answers(v2, (), {"s2_wall": "exposed"}))
    assert (row["不良度（別表第1）下限"], row["不良度（別表第1）上限"]) == (str(expected.statutory.min),
                                                                 str(expected.statutory.max))
    features = json.loads(mori.get(f"/api/v1/reports/survey/{contract}.geojson").content)["features"]
    assert not any("活用" in key for key in features[0]["properties"])
