"""The owners' questionnaire is data: the shipped file loads, a broken one names every problem at once,
and one owner's answers are checked against it in Japanese."""

from pathlib import Path

import pytest

from server.owner_survey.questionnaire import QuestionnaireFileError, answer_problems, load_questionnaire, shipped


def test_shipped_questionnaire_asks_the_five_things_the_issue_lists():
    q = shipped()
    assert [x.key for x in q.questions] == ["current_use", "intention", "troubles", "akiya_bank",
                                            "contact_consent", "contact"]
    assert [o.label for o in q.question("intention").options] == [
        "売却したい", "賃貸したい", "自分や家族で使う", "解体したい", "このまま維持管理する", "未定・わからない"]
    assert q.question("troubles").type == "multi"


def test_a_broken_file_reports_every_problem_at_once(tmp_path: Path):
    path = tmp_path / "bad.v1.toml"
    path.write_text("""id = "Bad Id"
version = 0
title = "t"
[[questions]]
key = "a"
label = "x"
type = "single"
options = [{ value = "only", label = "one" }]
[[questions]]
key = "b"
label = "y"
type = "text"
options = [{ value = "x", label = "z" }]
""", encoding="utf-8")
    with pytest.raises(QuestionnaireFileError) as caught:
        load_questionnaire(path)
    text = "\n".join(caught.value.errors)
    assert len(caught.value.errors) == 4
    assert "id" in text and "version" in text and "選択肢は2つ以上" in text and "自由記述の設問に選択肢" in text


def test_answers_that_fit_have_no_problems_and_wrong_ones_are_named_in_japanese():
    q = shipped()
    good = {"current_use": "unused", "intention": "sell", "troubles": ["distance", "cost"],
            "contact_consent": "yes", "contact": "090-0000-0000"}
    assert answer_problems(q, good) == []
    bad = answer_problems(q, {"current_use": "castle", "troubles": "cost", "contact_consent": "yes", "x": 1})
    assert "「今後、この建物をどうしたいとお考えですか。」に答えてください" in bad
    assert any("現在どのように利用" in p and "一つ選んで" in p for p in bad)
    assert any("お困りのこと" in p for p in bad)
    assert "「x」という設問はありません" in bad


def test_the_default_letter_fills_the_town_and_deadline_and_a_bad_placeholder_is_refused():
    from server.owner_survey.template import default_text, fill, template_problems

    text = fill(default_text(), {"自治体名": "東松島市", "回答期限": "2027年1月31日"})
    assert "東松島市では" in text and "2027年1月31日 まで" in text and "{" not in text
    assert template_problems(default_text()) == []
    assert template_problems("{所有者名}様") == ["使えない差し込み項目があります: {所有者名}（使えるのは {自治体名}、{回答期限}）"]
    assert template_problems("  ") == ["文面が空です"]
