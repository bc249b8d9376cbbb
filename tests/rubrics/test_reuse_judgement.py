"""利活用判定: each class from what was observed and recorded, the boundaries of the rules (新耐震基準 on
1981-06-01, a road of exactly 4 m), unknown inputs giving 判定不能 with their reason, and a town's own
thresholds changing the class. One table per question; each row is one house."""

import msgspec
import pytest

from server.rubrics import RubricRegistry, score
from server.rubrics.reuse import built_before, judge_reuse
from tests.support.answers import minimal_answers

REGISTRY = RubricRegistry.load_dir()
V3 = REGISTRY.get("municipal_survey", 3)
AFTER = "1990-04-01"  # built well after the 新耐震基準


def judged(answers: dict | None = None, built_on: str | None = AFTER, rubric=V3):
    full = minimal_answers(rubric, (), answers or {})
    result = msgspec.to_builtins(score(rubric, full))
    return judge_reuse(rubric, full, result.get("statutory"), result["flags"], built_on)


@pytest.mark.parametrize("answers, built_on, code, reason", [
    ({}, AFTER, "as_is", "いずれにも当たらない"),
    ({"s2_roof": "deformed"}, AFTER, "repair", "構造の腐朽・破損が外から見える"),
    ({"s2_frame": "collapse_risk"}, AFTER, "demolish", "不良住宅"),
    ({"tilt": "marked"}, AFTER, "demolish", "倒壊のおそれ"),
    ({}, "1975", "repair", "新耐震基準より前"),
    ({"road_access": "narrow"}, AFTER, "repair", "4m未満"),
    ({"slope": "cliff"}, AFTER, "repair", "がけ"),
    ({"retaining_wall": "cracked"}, AFTER, "repair", "擁壁"),
    ({"access_path": "walk_only"}, AFTER, "repair", "車で敷地の前まで入れない"),
    ({"falling_risk": True}, AFTER, "repair", "至急・要確認の所見"),
])
def test_each_class_follows_from_what_was_seen(answers, built_on, code, reason):
    result = judged(answers, built_on)
    assert result.code == code
    assert any(reason in r for r in result.reasons), result.reasons


@pytest.mark.parametrize("built_on, before", [
    ("1981-05-31", True), ("1981-06-01", False), ("1981-05", True), ("1981-06", False),
    ("1980", True), ("1982", False), ("1981", None), (None, None), ("", None),
])
def test_the_seismic_line_is_1981_06_01_and_a_year_that_straddles_it_is_unknown(built_on, before):
    assert built_before(built_on, V3.reuse.seismic_from) is before


@pytest.mark.parametrize("built_on, code", [("1981-05-31", "repair"), ("1981-06-01", "as_is")])
def test_a_house_built_the_day_before_the_seismic_line_needs_repair_and_one_built_on_it_does_not(built_on, code):
    assert judged({}, built_on).code == code


def test_a_road_of_exactly_4_m_is_answered_4_m_or_wider_and_needs_no_repair():
    road = V3.item("road_access")
    assert "ちょうど4mは「4m以上」" in road.help
    assert [o.label for o in road.options][:2] == ["幅員4m以上の道路に接している", "幅員4m未満の道路に接している"]
    assert judged({"road_access": "wide"}).code == "as_is"
    assert judged({"road_access": "narrow"}).code == "repair"


@pytest.mark.parametrize("answers, built_on, reason", [
    ({"road_access": "none_or_unknown"}, AFTER, "接道（前面道路の幅員）：接道なし・不明"),
    ({"slope": "unseen"}, AFTER, "敷地の傾斜（傾斜地・がけ地）：外から確認できない"),
    ({"access_path": "unseen"}, AFTER, "進入路：外から確認できない"),
    ({}, None, "建築年：台帳に記録なし"),
    ({}, "1981", "建築年：台帳の「1981」では新耐震基準（1981年6月1日）の前後を判断できない"),
    ({"structure_type": "unknown"}, AFTER, "不良度（別表第1）：判定不能（構造不明）"),
    ({"s1_foundation": "unseen", "s1_column": "unseen", "s1_wall": "unseen", "s2_frame": "major"},
      AFTER, "不良度（別表第1）：判定不能"),
])
def test_an_unknown_input_that_could_change_the_class_gives_undetermined_with_its_reason(answers, built_on, reason):
    result = judged(answers, built_on)
    assert (result.code, result.label) == ("undetermined", "判定不能")
    assert reason in result.reasons


def test_a_known_reason_to_demolish_is_not_hidden_by_an_unknown_road():
    result = judged({"tilt": "marked", "road_access": "none_or_unknown"}, None)
    assert result.code == "demolish"


def test_a_reason_to_repair_is_undetermined_when_demolition_cannot_be_ruled_out():
    result = judged({"structure_type": "unknown", "road_access": "narrow"})
    assert result.code == "undetermined"
    assert "不良度（別表第1）：判定不能（構造不明）" in result.reasons


def test_a_house_outside_table_1_is_judged_on_everything_else():
    assert judged({"structure_type": "rc"}).code == "as_is"
    assert judged({"structure_type": "rc"}, "1970-01-01").code == "repair"


def test_a_survey_on_a_form_without_reuse_rules_is_undetermined_and_says_why():
    v2 = REGISTRY.get("municipal_survey", 2)
    result = judged({}, AFTER, rubric=v2)
    assert result.code == "undetermined"
    assert result.reasons == ["第2版の調査票には利活用判定の項目（接道など）がありません"]


def _town_version(tmp_path, replace: list[tuple[str, str]]):
    from server.rubrics import load_rubric_file
    from server.rubrics.loader import SHIPPED_DIR

    text = (SHIPPED_DIR / "municipal_survey.v3.toml").read_text("utf-8")
    for old, new in replace:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "municipal_survey.v4.toml"
    path.write_text(text.replace("version = 3\n", "version = 4\n", 1), "utf-8")
    return load_rubric_file(path)


def test_a_town_that_raises_the_damage_threshold_keeps_a_lightly_damaged_house_as_is(tmp_path):
    answers = {"s2_wall": "exposed"}  # 外壁 15 points seen
    assert judged(answers).code == "repair"
    town = _town_version(tmp_path, [('category = "s2_decay"\nat_least = 15', 'category = "s2_decay"\nat_least = 25')])
    assert judged(answers, rubric=town).code == "as_is"


def test_a_town_that_moves_the_seismic_line_or_counts_no_road_access_as_a_repair_changes_the_class(tmp_path):
    town = _town_version(tmp_path, [("seismic_from = 1981-06-01", "seismic_from = 2000-06-01"),
                                    ('road_access = ["none_or_unknown"], ', ""),
                                    ('in = ["narrow"]', 'in = ["none_or_unknown"]')])
    assert judged({}, "1999-12-31", rubric=town).code == "repair"
    assert judged({"road_access": "narrow"}, "2005-01-01", rubric=town).code == "as_is"
    assert judged({"road_access": "none_or_unknown"}, "2005-01-01", rubric=town).code == "repair"
    assert judged({"road_access": "none_or_unknown"}, "2005-01-01").code == "undetermined"  # the shipped rules


@pytest.mark.parametrize("replace, expected", [
    (('at_least = 15', 'at_least = 0'), "reuse / repair #1 / at_least"),
    (('in = ["narrow"]', 'in = ["very_narrow"]'), "'very_narrow' is not an option of 'road_access'"),
    (('flags = ["collapse_risk", "marked_tilt"]', 'flags = ["collapse"]'), "flag 'collapse' is not declared"),
    (('category = "s2_decay"', 'category = "municipal"'), "category 'municipal' is not a statutory category"),
    (('built_before_seismic = true', 'built_before_seismic = true\nurgency = ["urgent"]'), "exactly one of"),
    (('seismic_from = 1981-06-01', 'seismic_from = "昭和56年"'), "reuse / seismic_from"),
])
def test_a_town_rubric_with_broken_reuse_rules_is_refused_with_every_problem_named(tmp_path, replace, expected):
    from server.rubrics import RubricFileError

    with pytest.raises(RubricFileError) as refused:
        _town_version(tmp_path, [replace, ('in = ["walk_only"]', 'in = ["by_boat"]')])
    problems = "\n".join(refused.value.errors)
    assert expected in problems
    assert "'by_boat' is not an option of 'access_path'" in problems  # a second problem, listed with the first


def test_the_house_sheet_shortens_a_rules_reason_but_prints_what_made_a_house_undetermined_whole():
    from reports.model import Reuse
    from reports.survey_reuse import reuse_line

    class Row:
        def __init__(self, found):
            self.reuse = Reuse(label=found.label, reasons=found.reasons)

    assert reuse_line(Row(judged({"tilt": "marked"}))) == "除却が望ましい（建物の倒壊のおそれ）"
    assert reuse_line(Row(judged({"structure_type": "unknown"}))) == "判定不能（不良度（別表第1）：判定不能（構造不明））"
