"""Properties over generated visits, for every shipped rubric and the test-only one."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.rubrics import InvalidAnswers, score

from answer_strategies import broken_visit, valid_visit  # tests/rubrics is on sys.path (rootdir mode)

RUBRICS = [("watch_basic", 1), ("municipal_survey", 1), ("post_disaster", 1), ("conformance_all_types", 1)]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("rubric_id, version", RUBRICS)
@SETTINGS
@given(data=st.data())
def test_any_valid_answer_set_scores_without_error(registry, rubric_id, version, data):
    rubric = registry.get(rubric_id, version)
    options, answers, _ = data.draw(valid_visit(rubric))
    result = score(rubric, answers, options)
    assert result.total >= 0
    assert (result.rank is None) == (not rubric.scoring.ranks)
    declared = [f.key for f in rubric.scoring.flags]
    assert [f.key for f in result.flags] == [k for k in declared if k in {f.key for f in result.flags}]
    for category in rubric.scoring.categories:
        assert category.cap is None or result.points[category.key] <= category.cap


@pytest.mark.parametrize("rubric_id, version", RUBRICS)
@SETTINGS
@given(data=st.data())
def test_any_broken_answer_set_names_the_broken_item(registry, rubric_id, version, data):
    rubric = registry.get(rubric_id, version)
    options, answers, key, code = data.draw(broken_visit(rubric))
    with pytest.raises(InvalidAnswers) as raised:
        score(rubric, answers, options)
    assert (key, code) in [(e.item, e.code) for e in raised.value.errors]
