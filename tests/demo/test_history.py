from datetime import date, timedelta

import msgspec
import pytest

from server.demo.history import (MOWING_VISIT, V2_SINCE_DAYS, V3_SINCE_DAYS, demo_disaster, demo_history, open_tasks,
                                 work_visit_day)
from server.demo.town import CARRIERS, SUBSCRIPTIONS, SURVEY_CONTRACT, property_by_key
from server.rubrics import answer_errors, check_photos, load_rubric_file, score
from server.rubrics.reuse import judge_reuse
from server.rubrics.loader import SHIPPED_DIR

# A day in the middle of a month, the first and the last of a month, and a short month.
TODAYS = [date(2026, 11, 27), date(2026, 12, 1), date(2026, 12, 31), date(2027, 2, 28)]


@pytest.fixture(scope="module")
def rubrics():
    return {(name, version): load_rubric_file(SHIPPED_DIR / f"{name}.v{version}.toml")
            for name, version in (("municipal_survey", 1), ("municipal_survey", 2), ("municipal_survey", 3),
                                  ("watch_basic", 2), ("post_disaster", 2), ("option_work", 1))}


@pytest.mark.parametrize("today", TODAYS)
def test_every_carrier_has_survey_and_watch_tasks_due_today(today):
    due = {(t.carrier, t.kind) for t in open_tasks(today) if t.due_date == today}
    for carrier in CARRIERS:
        assert (carrier.login, "survey") in due
        assert (carrier.login, "watch") in due


@pytest.mark.parametrize("today", TODAYS)
def test_carrier1_alone_has_an_urgent_post_disaster_task_for_the_recent_rain(today):
    disaster = [t for t in open_tasks(today) if t.kind == "disaster"]
    assert [(t.carrier, t.due_date, t.priority) for t in disaster] == [("carrier1", today, 2)]
    event = demo_disaster(today)
    assert event.kind == "heavy_rain" and event.occurred_at.date() == today - timedelta(days=2)
    assert property_by_key(disaster[0].property).district in event.districts
    assert disaster[0].disaster == event.key


@pytest.mark.parametrize("today", TODAYS)
def test_past_visits_fall_in_the_month_before_today(today):
    for visit in demo_history(today):
        assert today - timedelta(days=31) <= visit.started_at.date() < today, visit.key
        assert visit.finished_at > visit.started_at


@pytest.mark.parametrize("today", TODAYS)
def test_a_watch_task_never_repeats_the_period_of_a_visit_already_made(today):
    made = {(v.property, v.period) for v in demo_history(today) if v.kind == "watch"}
    owed = {(t.property, t.period) for t in open_tasks(today) if t.kind == "watch"}
    assert not made & owed
    assert {p for p, _ in made} == {s.property for s in SUBSCRIPTIONS}


def test_each_contract_property_is_either_surveyed_or_still_open_exactly_once():
    today = TODAYS[0]
    surveyed = [v.property for v in demo_history(today) if v.kind == "survey"]
    pending = [t.property for t in open_tasks(today) if t.kind == "survey"]
    assert sorted(surveyed + pending) == sorted(SURVEY_CONTRACT.properties)


def test_post_disaster_visits_come_after_the_event_to_houses_with_the_disaster_option():
    today = TODAYS[0]
    event = demo_disaster(today)
    disaster_option = {s.property for s in SUBSCRIPTIONS if "disaster" in s.options}
    visits = [v for v in demo_history(today) if v.kind == "disaster"]
    assert visits
    for v in visits:
        assert v.started_at > event.occurred_at and v.disaster == event.key
        assert v.property in disaster_option


def test_visits_and_tasks_belong_to_the_usual_carrier_of_the_house():
    today = TODAYS[0]
    for item in [*demo_history(today), *open_tasks(today)]:
        assert item.carrier == property_by_key(item.property).carrier


@pytest.mark.parametrize("today", TODAYS)
def test_every_past_answer_set_and_its_photos_satisfy_the_rubric(rubrics, today):
    for visit in demo_history(today):
        rubric = rubrics[(visit.rubric_id, visit.rubric_version)]
        assert (rubric.kind, rubric.version) == (visit.kind, visit.rubric_version)
        assert answer_errors(rubric, visit.answers, visit.options) == [], visit.key
        assert check_photos(rubric, list(visit.photo_slots), visit.answers, visit.options) == [], visit.key


def test_the_town_changed_forms_v1_then_v2_then_v3_and_each_has_approved_visits_in_the_report():
    today = TODAYS[0]
    surveys = [v for v in demo_history(today) if v.kind == "survey"]
    version_by_age = {v.rubric_version: set() for v in surveys}
    for v in surveys:
        version_by_age[v.rubric_version].add((today - v.started_at.date()).days)
    assert max(version_by_age[3]) <= V3_SINCE_DAYS < min(version_by_age[2])
    assert max(version_by_age[2]) <= V2_SINCE_DAYS < min(version_by_age[1])
    assert {v.rubric_version for v in surveys if v.status == "approved"} == {1, 2, 3}
    assert SURVEY_CONTRACT.rubric_version == 3


def test_recent_surveys_show_statutory_ranges_and_every_reuse_class_once_approved(rubrics):
    today = TODAYS[0]
    published = [v for v in demo_history(today) if v.kind == "survey" and v.status == "approved"]
    statutory = {score(rubrics[("municipal_survey", v.rubric_version)], v.answers).statutory.verdict
                 for v in published if v.rubric_version >= 2}
    assert {"defective", "not_defective", "undetermined"} <= statutory
    classes = {v.property: _reuse(rubrics, v) for v in published if v.rubric_version == 3}
    assert {c.code for c in classes.values()} == {"as_is", "repair", "demolish", "undetermined"}


def test_the_v3_roads_are_wide_narrow_and_unknown_and_a_ledger_year_of_1981_leaves_the_class_open(rubrics):
    today = TODAYS[0]
    v3 = [v for v in demo_history(today) if v.kind == "survey" and v.rubric_version == 3]
    assert {v.answers["road_access"] for v in v3} == {"wide", "narrow", "none_or_unknown"}
    boundary = [v for v in v3 if property_by_key(v.property).built_on == "1981"]
    assert boundary and all(v.status == "approved" for v in boundary)
    judgement = _reuse(rubrics, boundary[0])
    assert judgement.code == "undetermined" and any("1981" in reason for reason in judgement.reasons)


def _reuse(rubrics, visit):
    rubric = rubrics[("municipal_survey", visit.rubric_version)]
    result = msgspec.to_builtins(score(rubric, visit.answers))
    return judge_reuse(rubric, visit.answers, result.get("statutory"), result["flags"],
                       property_by_key(visit.property).built_on)


def test_recent_visits_wait_for_review_and_older_ones_are_approved():
    today = TODAYS[0]
    statuses = {v.status for v in demo_history(today) if (today - v.started_at.date()).days < 7}
    assert statuses == {"submitted"}
    assert {v.status for v in demo_history(today) if (today - v.started_at.date()).days >= 7} == {"approved"}


@pytest.mark.parametrize("today", TODAYS)
def test_the_ordered_mowing_falls_in_the_month_of_the_houses_last_watch_visit_before_it(today):
    history = demo_history(today)
    [work] = [v for v in history if v.key == MOWING_VISIT]
    [watch] = [v for v in history if v.kind == "watch" and v.property == work.property]
    assert (work.kind, work.options) == ("work", ("mowing",))
    assert work.started_at < watch.started_at and work.period is None
    assert work.started_at.strftime("%Y-%m") == watch.started_at.strftime("%Y-%m")  # printed in that month's report
    assert work_visit_day(today, MOWING_VISIT) == work.started_at.date()
