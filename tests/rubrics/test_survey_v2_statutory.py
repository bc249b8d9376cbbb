"""Survey rubric v2: the statutory 不良度 of 住宅地区改良法施行規則 別表第1, apart from the municipal score.

Expected figures are written from the ordinance's table (評点 and 最高評点), not read off the engine.
"""

import json

import pytest

from server.rubrics import InvalidAnswers, rubric_to_client, score
from server.rubrics.loader import SHIPPED_DIR, check_rubric_files

SOUND = {
    "nameplate": "present", "mailbox": "clear", "for_sale_sign": False, "manager_contact": False,
    "curtains": "lived_in", "electric_meter": "running", "gas_meter": "in_use", "lpg": "none",
    "vegetation": "kept", "window_glass": "intact", "vehicle": "in_use", "entrance_barred": False,
    "current_state": "occupied", "structure_type": "wooden",
    "s1_foundation": "sound", "s1_column": "no", "s1_wall": "no", "s1_floor_height": "no", "s1_ceiling": "no",
    "s1_opening": "no", "s2_floor": "none", "s2_frame": "none", "s2_wall": "none", "s2_roof": "none",
    "s3_wall": "none", "s3_roof": "no", "s4_rainwater": "no",
    "tilt": "none", "falling_risk": False, "retaining_wall": "none", "gate_fence": "none",
    "stairs_balcony": "none", "signs_units": "none", "snow": "not_applicable", "sediment": "none",
    "trees": "none", "rubbish": "none", "sewage_odor": "none", "pests": "none", "streetscape": False,
    "school_route": False,
}
STATUTORY_ITEMS = ["s1_foundation", "s1_column", "s1_wall", "s1_floor_height", "s1_ceiling", "s1_opening",
                   "s2_floor", "s2_frame", "s2_wall", "s2_roof", "s3_wall", "s3_roof", "s4_rainwater"]


@pytest.fixture
def v2(registry):
    return registry.get("municipal_survey", 2)


def statutory(v2, **changes):
    return score(v2, {**SOUND, **changes}).statutory


def test_every_statutory_item_offers_cannot_be_seen_from_outside_which_scores_as_a_range(v2):
    for key in STATUTORY_ITEMS:
        unseen = [o for o in v2.item(key).options if o.unseen]
        assert [o.label for o in unseen] == ["外から確認できない"], key
        assert unseen[0].points == {}


def test_the_four_hyoutei_kubun_carry_the_caps_of_the_ordinance(v2):
    caps = {c.key: (c.label, c.cap, c.in_total) for c in v2.scoring.categories}
    assert caps["s1_general"] == ("1 構造一般の程度", 50, False)
    assert caps["s2_decay"] == ("2 構造の腐朽又は破損の程度", 100, False)
    assert caps["s3_fire"] == ("3 防火上又は避難上の構造の程度", 30, False)
    assert caps["s4_drain"] == ("4 排水設備", 10, False)
    assert v2.scoring.statutory.categories == ["s1_general", "s2_decay", "s3_fire", "s4_drain"]
    assert v2.scoring.statutory.threshold == 100


def test_the_points_of_each_item_are_those_of_beppyou_1(v2):
    def points(key):
        return {o.value: sum(o.points.values()) for o in v2.item(key).options if not o.unseen}
    assert points("s1_foundation") == {"sound": 0, "boulder": 10, "none": 20}
    assert [max(points(k).values()) for k in ("s1_column", "s1_wall", "s1_floor_height", "s1_ceiling",
                                               "s1_opening")] == [20, 25, 10, 10, 10]
    assert points("s2_floor") == {"none": 0, "joists_fallen": 10, "tilted": 15}
    assert points("s2_frame") == {"none": 0, "minor": 25, "major": 50, "collapse_risk": 100}
    assert points("s2_wall") == {"none": 0, "exposed": 15, "holed": 25}
    assert points("s2_roof") == {"none": 0, "partial": 0, "partial_leak": 15, "marked": 25, "deformed": 50}
    assert points("s3_wall") == {"none": 0, "some": 10, "three_or_more": 20}
    assert points("s3_roof") == {"no": 0, "yes": 10}
    assert points("s4_rainwater") == {"no": 0, "yes": 10}


def test_a_house_seen_whole_and_sound_is_zero_and_not_defective(v2):
    result = statutory(v2)
    assert (result.min, result.max, result.verdict_label) == (0, 0, "不良住宅に当たらない（不良度100未満）")


def test_collapse_risk_alone_reaches_100_and_is_defective_housing(v2):
    result = statutory(v2, s2_frame="collapse_risk")
    assert (result.min, result.max, result.verdict, result.verdict_label) == (
        100, 100, "defective", "不良住宅（不良度100以上）")


def test_each_kubun_is_capped_before_adding(v2):
    # 区分2: 100 + 50 + 25 + 15 = 190 seen, capped at 100; 区分1: 20+20+25+10+10+10 = 95, capped at 50.
    result = statutory(v2, s2_frame="collapse_risk", s2_roof="deformed", s2_wall="holed", s2_floor="tilted",
                       s1_foundation="none", s1_column="yes", s1_wall="yes", s1_floor_height="yes",
                       s1_ceiling="yes", s1_opening="yes")
    assert result.min_points == {"s1_general": 50, "s2_decay": 100, "s3_fire": 0, "s4_drain": 0}
    assert result.min == 150


def test_95_points_are_below_the_line_and_100_is_on_it(v2):
    below = statutory(v2, s1_foundation="boulder", s2_frame="major", s2_roof="marked", s2_floor="joists_fallen")
    assert (below.min, below.verdict) == (95, "not_defective")
    on = statutory(v2, s1_foundation="boulder", s2_frame="major", s2_roof="marked", s2_floor="joists_fallen",
                   s4_rainwater="yes")
    assert (on.min, on.verdict) == (105, "defective")
    exactly = statutory(v2, s2_frame="major", s2_roof="deformed")
    assert (exactly.min, exactly.verdict) == (100, "defective")


def test_an_unseen_house_is_a_range_never_zero_and_never_sound(v2):
    everything_unseen = {key: "unseen" for key in STATUTORY_ITEMS}
    result = statutory(v2, **everything_unseen)
    # Every 区分 could reach its cap: 50 + 100 + 30 + 10.
    assert (result.min, result.max) == (0, 190)
    assert result.verdict_label == "判定不能"
    assert result.unseen == STATUTORY_ITEMS


def test_the_roadside_view_gives_0_to_95_and_one_more_unseen_item_straddles_100(v2):
    roadside = {"s1_column": "unseen", "s1_floor_height": "unseen", "s1_ceiling": "unseen",
                "s1_opening": "unseen", "s2_floor": "unseen", "s3_wall": "unseen", "s3_roof": "unseen"}
    result = statutory(v2, **roadside)
    assert result.max_points == {"s1_general": 50, "s2_decay": 15, "s3_fire": 30, "s4_drain": 0}
    assert (result.min, result.max, result.verdict) == (0, 95, "not_defective")
    straddling = statutory(v2, **roadside, s4_rainwater="unseen")
    assert (straddling.min, straddling.max, straddling.verdict) == (0, 105, "undetermined")


def test_unseen_points_are_capped_with_the_seen_ones(v2):
    result = statutory(v2, s2_roof="deformed", s2_frame="unseen")
    assert (result.min_points["s2_decay"], result.max_points["s2_decay"]) == (50, 100)
    assert result.verdict == "undetermined"


@pytest.mark.parametrize("structure", ["rc", "block"])
def test_rc_and_block_houses_are_outside_beppyou_1_but_their_findings_stay(v2, structure):
    result = score(v2, {**SOUND, "structure_type": structure, "s2_frame": "collapse_risk"})
    assert (result.statutory.verdict, result.statutory.verdict_label) == ("not_applicable", "別表第1の対象外")
    assert (result.statutory.min, result.statutory.max) == (None, None)
    assert [(f.key, f.urgency) for f in result.flags] == [("collapse_risk", "urgent")]


def test_an_unknown_structure_is_undetermined_never_outside_the_table(v2):
    result = score(v2, {**SOUND, "structure_type": "unknown", "s2_frame": "collapse_risk"})
    assert (result.statutory.verdict, result.statutory.verdict_label) == ("undetermined", "判定不能（構造不明）")
    assert (result.statutory.min, result.statutory.max) == (None, None)
    assert [(f.key, f.urgency) for f in result.flags] == [("collapse_risk", "urgent")]


def test_a_steel_frame_house_is_scored_with_beppyou_1_which_excludes_only_rc_and_block(v2):
    # 第1条第1項第1号: 住宅（鉄筋コンクリート造の住宅並びにコンクリートブロック造の住宅及び補強コンクリートブロック造の住宅を除く。）
    result = statutory(v2, structure_type="steel", s2_frame="collapse_risk")
    assert (result.verdict, result.min, result.max) == ("defective", 100, 100)


def test_roofing_fallen_or_slipped_without_a_visible_leak_is_0_to_15_and_15_only_with_a_leak(v2):
    # 別表第1 2(四)イ: 屋根ぶき材料の一部に剥落又はずれがあり、雨もりのあるもの 15
    unseen_leak = statutory(v2, s2_roof="partial")
    assert (unseen_leak.min, unseen_leak.max, unseen_leak.unseen) == (0, 15, ["s2_roof"])
    seen_leak = statutory(v2, s2_roof="partial_leak")
    assert (seen_leak.min, seen_leak.max, seen_leak.unseen) == (15, 15, [])
    assert "雨もりは外から確認できない" in v2.item("s2_roof").options_by_value[(str, "partial")].label


def test_an_unseen_leak_alone_can_make_a_house_undetermined(v2):
    result = statutory(v2, s2_roof="partial", s2_frame="major", s2_wall="holed", s1_foundation="boulder")
    assert (result.min, result.max, result.verdict) == (85, 100, "undetermined")


def test_the_fire_spread_wall_help_cites_the_building_standards_act_distances(v2):
    help_text = v2.item("s3_wall").help
    assert "建築基準法第2条第6号" in help_text
    assert "1階は3m以下" in help_text and "2階以上は5m以下" in help_text and "道路中心線" in help_text


def test_the_municipal_score_is_apart_and_never_called_futyoudo(v2):
    assert v2.scoring.total_label == "危険度（自治体基準）"
    result = score(v2, {**SOUND, "falling_risk": True, "school_route": True, "s2_frame": "collapse_risk"})
    assert (result.total, result.rank) == (75, "A")  # 50 × 1.5; the statutory 100 is not added in
    assert result.statutory.min == 100
    assert all("例" in r.label for r in v2.scoring.ranks)
    assert all("不良度" not in r.label for r in v2.scoring.ranks)


def test_findings_are_worded_as_a_risk_to_check_on_site_with_an_urgency_and_no_designation(v2):
    for flag in v2.scoring.flags:
        assert flag.label.endswith("おそれ（要現地確認）"), flag.key
        assert flag.urgency in ("urgent", "check", "watch") and flag.category is not None
    text = json.dumps(rubric_to_client(v2), ensure_ascii=False)
    assert "特定空家" not in text and "管理不全" not in text


@pytest.mark.parametrize("changes", [{"tilt": "marked"}, {"s2_frame": "collapse_risk"},
                                     {"gate_fence": "leaning"}, {"retaining_wall": "failing"},
                                     {"trees": "falling"}])
def test_marked_tilt_and_risks_of_collapse_are_urgent(v2, changes):
    result = score(v2, {**SOUND, **changes})
    assert any(f.urgency == "urgent" and f.category == "safety" for f in result.flags)


def test_the_newly_observed_items_exist(v2):
    labels = {item.label for item in v2.all_items()}
    for wanted in ("擁壁", "立木の倒壊・枝の越境", "屋外階段・バルコニー", "看板・室外機・アンテナ等", "汚水・臭気",
                   "落雪（雪止め）", "土砂の流出", "門・塀（ブロック塀を含む）", "LPガスボンベ", "管理者の連絡先の掲示"):
        assert wanted in labels


def test_vacancy_indicators_say_a_smart_meter_cannot_be_read_and_end_with_a_current_state(v2):
    meter = [o.label for o in v2.item("electric_meter").options]
    assert "スマートメーター（外から使用状況を確認できない）" in meter
    assert [o.label for o in v2.item("current_state").options] == [
        "空き家の可能性 高", "空き家の可能性 中", "空き家の可能性 低", "居住中", "更地・建替中", "判断不能"]


def test_a_v1_result_carries_no_statutory_part_and_keeps_its_shape(registry):
    import msgspec
    v1 = registry.get("municipal_survey", 1)
    answers = {i.key: (i.options[0].value if i.options else False) for i in v1.all_items() if i.required}
    result = msgspec.to_builtins(score(v1, answers))
    assert set(result) == {"points", "total", "rank", "rank_label", "judgements", "flags"}


def test_statutory_categories_must_be_capped_and_kept_out_of_the_total(tmp_path):
    text = (SHIPPED_DIR / "municipal_survey.v2.toml").read_text("utf-8")
    broken = text.replace('key = "s4_drain"\nlabel = "4 排水設備"\ncap = 10\nin_total = false',
                          'key = "s4_drain"\nlabel = "4 排水設備"')
    assert broken != text
    path = tmp_path / "municipal_survey.v2.toml"
    path.write_text(broken, "utf-8")
    problems = check_rubric_files([path])
    assert any("s4_drain" in p and "最高評点" in p for p in problems)


def test_an_unseen_answer_is_still_an_answer_to_a_required_item(v2):
    answers = dict(SOUND)
    del answers["s1_column"]
    with pytest.raises(InvalidAnswers) as raised:
        score(v2, answers)
    assert [e.code for e in raised.value.errors] == ["required"]
