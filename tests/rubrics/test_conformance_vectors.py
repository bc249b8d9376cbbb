"""The Python engine against rubrics/conformance/vectors.json (tests/js/ runs the same file)."""

import json
from pathlib import Path

import msgspec
import pytest

from server.rubrics import InvalidAnswers, check_photos, compare, score
from server.rubrics.vectors import embedded_rubrics, render

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "rubrics/conformance/vectors.json").read_text("utf-8"))
CASES = VECTORS["cases"]


def _errors_as_expected(errors, expected: list[dict]) -> list[dict]:
    """Item and code always; the message too where the case pins it."""
    return [{k: getattr(e, k) for k in want} for e, want in zip(errors, expected)] + \
           [{"item": e.item, "code": e.code} for e in errors[len(expected):]]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_python_engine_gives_the_expected_outcome(case, registry):
    rubric = registry.get(case["rubric"]["id"], case["rubric"]["version"])
    expect = case["expect"]
    if "photos" in case:
        got = check_photos(rubric, case["photos"], case.get("answers", {}), case.get("options", []))
        assert _errors_as_expected(got, expect["errors"]) == expect["errors"]
    elif "previous_answers" in case:
        got = compare(rubric, case["previous_answers"], case["answers"])
        assert msgspec.to_builtins(got) == expect["changes"]
    elif "result" in expect:
        assert msgspec.to_builtins(score(rubric, case["answers"], case["options"])) == expect["result"]
    else:
        with pytest.raises(InvalidAnswers) as raised:
            score(rubric, case["answers"], case["options"])
        assert _errors_as_expected(raised.value.errors, expect["errors"]) == expect["errors"]


def test_embedded_rubrics_are_the_client_json_of_the_rubric_files():
    assert VECTORS["rubrics"] == embedded_rubrics()


def test_vectors_file_is_in_the_generated_layout():
    text = (Path(__file__).resolve().parents[2] / "rubrics/conformance/vectors.json").read_text("utf-8")
    assert text == render(VECTORS["rubrics"], CASES), "run: python -m server.rubrics.vectors"


def test_vectors_cover_every_error_code_item_type_and_both_rank_directions():
    from server.rubrics.results import ERROR_CODES

    codes = {e["code"] for c in CASES for e in c["expect"].get("errors", [])}
    assert codes == set(ERROR_CODES)
    types = {i["type"] for r in VECTORS["rubrics"] for s in r["sections"] for i in s["items"]}
    assert types == {"choice", "multi", "boolean", "number", "text"}
    used = {(c["rubric"]["id"], c["rubric"]["version"]) for c in CASES}
    assert used == {(r["id"], r["version"]) for r in VECTORS["rubrics"]}
    ranked = [r["scoring"]["ranks"] for r in VECTORS["rubrics"] if r["scoring"]["ranks"]]
    assert {rs[0]["min"] == 0 for rs in ranked} == {True, False}  # A = best and A = worst
