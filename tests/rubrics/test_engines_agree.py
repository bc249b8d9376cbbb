"""Python and JavaScript engines give identical outcomes on generated visits, valid or broken."""

import json
import subprocess
from pathlib import Path

import msgspec
import pytest
from answer_strategies import broken_visit, valid_visit  # tests/rubrics is on sys.path (rootdir mode)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.rubrics import InvalidAnswers, compare, rubric_to_client, score

RUBRICS = [("watch_basic", 1), ("municipal_survey", 1), ("municipal_survey", 2), ("post_disaster", 1), ("conformance_all_types", 1)]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def js_engine():
    process = subprocess.Popen(["node", str(Path(__file__).with_name("js_engine_stdio.mjs"))],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def ask(request: dict):
        process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    yield ask
    process.stdin.close()
    process.wait(timeout=10)


def python_outcome(rubric, answers, options) -> dict:
    try:
        return {"ok": True, "result": msgspec.to_builtins(score(rubric, answers, options))}
    except InvalidAnswers as exc:
        return {"ok": False, "errors": msgspec.to_builtins(exc.errors)}


def visit(rubric, data):
    if data.draw(st.booleans()):
        options, answers, _ = data.draw(valid_visit(rubric))
    else:
        options, answers, _, _ = data.draw(broken_visit(rubric))
    # JSON is what travels between phone and server; both engines see the same decoded values.
    return options, json.loads(json.dumps(answers))


@pytest.mark.parametrize("rubric_id, version", RUBRICS)
@SETTINGS
@given(data=st.data())
def test_both_engines_score_a_visit_identically(registry, js_engine, rubric_id, version, data):
    rubric = registry.get(rubric_id, version)
    options, answers = visit(rubric, data)
    js = js_engine({"rubric": rubric_to_client(rubric), "answers": answers, "options": options})
    assert js == python_outcome(rubric, answers, options)


@pytest.mark.parametrize("rubric_id, version", RUBRICS)
@SETTINGS
@given(data=st.data())
def test_both_engines_compare_two_visits_identically(registry, js_engine, rubric_id, version, data):
    rubric = registry.get(rubric_id, version)
    _, previous = visit(rubric, data)
    _, answers = visit(rubric, data)
    js = js_engine({"rubric": rubric_to_client(rubric), "previous_answers": previous, "answers": answers})
    assert js == msgspec.to_builtins(compare(rubric, previous, answers))
