import json

from server.rubrics import RubricRegistry, check_rubric_files, rubric_to_client
from server.rubrics.loader import SHIPPED_DIR as RUBRICS_DIR

SHIPPED = sorted(RUBRICS_DIR.glob("*.toml"))


def test_every_shipped_rubric_file_is_valid():
    assert [p.name for p in SHIPPED] == ["municipal_survey.v1.toml", "municipal_survey.v2.toml", "municipal_survey.v3.toml",
                                         "option_work.v1.toml", "post_disaster.v1.toml", "post_disaster.v2.toml",
                                         "watch_basic.v1.toml", "watch_basic.v2.toml"]
    assert check_rubric_files(SHIPPED) == []


def test_registry_finds_each_rubric_by_id_and_version():
    registry = RubricRegistry.load_dir()
    assert [(r.id, r.version, r.kind) for r in registry.all()] == [
        ("municipal_survey", 1, "survey"), ("municipal_survey", 2, "survey"), ("municipal_survey", 3, "survey"),
        ("option_work", 1, "work"), ("post_disaster", 1, "disaster"),
        ("post_disaster", 2, "disaster"), ("watch_basic", 1, "watch"), ("watch_basic", 2, "watch")]
    assert registry.get("watch_basic", 2) is registry.latest("watch_basic")
    assert registry.get("watch_basic", 3) is None
    assert registry.latest("no_such_rubric") is None


def test_registry_ignores_the_test_only_rubrics_in_subfolders():
    assert RubricRegistry.load_dir().get("conformance_all_types", 1) is None


def test_every_text_item_of_a_version_2_rubric_says_who_reads_it():
    registry = RubricRegistry.load_dir()
    for rubric in (registry.get("watch_basic", 2), registry.get("post_disaster", 2)):
        texts = [i for i in rubric.all_items() if i.type == "text"]
        assert texts and all(i.audience in ("owner", "internal") for i in texts), rubric.id


def test_watch_v2_photo_slots_are_named_from_the_house_front_and_each_may_be_waived():
    watch = RubricRegistry.load_dir().get("watch_basic", 2)
    required = [(s.label, s.waiver_item is not None) for s in watch.photo_slots if s.required]
    assert required == [(label, True) for label in ("正面", "右側面", "背面", "左側面", "玄関", "郵便受け", "庭")]
    reasons = {o.label for o in watch.item("photo_waiver_right").options}
    assert {"隣家に接し撮影不可", "立入り不可", "夜間で撮影不可"} <= reasons


def test_watch_visit_checks_the_seven_fixed_items_every_time():
    watch = RubricRegistry.load_dir().get("watch_basic", 2)
    fixed = [i.label for i in watch.sections[0].items if i.type == "choice" and i.required]
    assert fixed == ["住宅外観の状況", "玄関の施錠状況", "玄関周辺の状況", "庭木・雑草の状況",
                     "隣家への越境物の有無", "不法投棄の有無", "郵便受箱の投函物の有無"]
    assert all(i.requires_option is None for i in watch.sections[0].items if i.type == "choice")
    optional = [i.key for i in watch.sections[0].items if i.type == "choice" and not i.required]
    assert optional == ["requested_spot_unchecked"]  # chosen only when the owner's spot could not be checked


def test_municipal_survey_ranks_a_as_worst_and_caps_the_statutory_category():
    survey = RubricRegistry.load_dir().get("municipal_survey", 1)
    assert [(r.code, r.min, r.max) for r in survey.scoring.ranks] == [
        ("A", 100, None), ("B", 50, 99), ("C", 1, 49), ("D", 0, 0)]
    decay = next(c for c in survey.scoring.categories if c.key == "decay")
    assert (decay.label, decay.cap) == ("構造の腐朽又は破損", 100)


def test_post_disaster_records_observations_without_a_verdict():
    disaster = RubricRegistry.load_dir().get("post_disaster", 1)
    assert disaster.scoring.ranks == [] and disaster.scoring.categories == []
    labels = json.dumps(rubric_to_client(disaster), ensure_ascii=False)
    assert "被害認定調査" in labels
    for verdict in ("危険（赤）", "要注意", "全壊", "半壊", "調査済"):
        assert verdict not in labels


def test_option_work_records_what_was_done_under_each_work_without_a_verdict():
    work = RubricRegistry.load_dir().get("option_work", 1)
    assert work.scoring.ranks == [] and work.scoring.categories == [] and work.scoring.flags == []
    assert all(o.severity == 0 for i in work.all_items() for o in i.options)  # facts, never 異常あり
    by_work = {s.key: {i.requires_option for i in s.items} for s in work.sections}
    assert by_work == {"mowing": {"mowing"}, "sign": {"sign"}, "cleaning": {"cleaning"}, "clearing": {"clearing"},
                       "common": {None}}
    mowing = [s for s in work.photo_slots if s.requires_option == "mowing"]
    areas = {o.value for o in work.item("mowing_areas").options}
    assert {(s.show_if.in_[0], s.key.rsplit("_", 1)[1]) for s in mowing} == {
        (a, when) for a in areas for when in ("before", "after")}
    assert work.item("mowing_area_m2").unit == "㎡"
    texts = [i for i in work.all_items() if i.type == "text"]
    assert texts and all(i.audience == "owner" for i in texts)


def test_client_json_carries_what_the_phone_needs_to_draw_and_score():
    client = rubric_to_client(RubricRegistry.load_dir().get("watch_basic", 1))
    json.dumps(client)  # plain JSON
    item = client["sections"][0]["items"][0]
    assert set(item) == {"key", "label", "type", "required", "options", "min", "max", "unit", "integer",
                         "max_length", "show_if", "requires_option", "help", "audience", "photo_slot"}
    assert set(item["options"][0]) == {"value", "label", "severity", "points", "flags", "urgent"}
    assert set(client["photo_slots"][0]) == {"key", "label", "required", "help", "waiver_item"}
    assert set(client["scoring"]) == {"categories", "multipliers", "ranks", "judgements", "flags",
                                      "flag_categories", "flag_levels"}


def test_boolean_items_always_carry_both_answers():
    watch = RubricRegistry.load_dir().get("watch_basic", 1)
    litter = watch.item("litter_picked")
    assert [(o.value, o.label) for o in litter.options] == [(True, "はい"), (False, "いいえ")]
