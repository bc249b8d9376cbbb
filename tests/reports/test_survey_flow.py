"""The survey report's 判定フロー: one drawn page, the six steps in order, each with what decides it and the
report's section that holds its criteria; a step the contract's form does not take, and the owners'
intention survey the system has not done, say so instead of describing work that was not done; a form
without 利活用判定 rules has no such step (its report mentions 利活用 nowhere). Its boxes break lines as Japanese
is set (禁則): no line begins with 。 or ends with （, and no number is split."""

import msgspec
import pytest
from reportlab.lib.units import mm

from reports import survey_report_pdf
from reports.pdf_base import FRAME_WIDTH
from reports.survey_flow import FONT_SIZE, LABEL_MM, NAME_MM, PAD, _lines
from reports.model import ReuseCondition, ReuseCriteria, ReuseCriterion

STEPS = ["候補（調査対象）", "外観調査", "空き家の可能性", "不良度（別表第1）", "所有者意向調査"]


def flow_page(pdf: bytes, poppler) -> str:
    pages = poppler.text(pdf).split("\f")
    [page] = [pg for pg in pages if "判定フロー" in pg and "決め手" in pg]
    return page


def test_the_flow_is_one_page_with_every_step_in_order_and_the_owners_intention_not_done(survey, fonts, poppler):
    page = flow_page(survey_report_pdf(survey, fonts), poppler)
    positions = [page.index(step) for step in STEPS]
    assert positions == sorted(positions)
    flat = "".join(page.split())
    assert f"この契約に登録された家屋{len(survey.rows) + survey.not_included}件" in flat
    assert "住宅地区改良法施行規則別表第1" in flat and "「判定基準表」" in flat
    assert "利活用" not in flat  # the sample's form is v2
    assert "所有者意向調査：未実施" in flat


def test_a_form_with_reuse_rules_points_the_flow_to_the_reuse_chapter(survey, fonts, poppler):
    rules = ReuseCriteria(label="活用可能性（外観からの目安）", caveat="外観と台帳からの目安です。", seismic_basis="1981年6月1日",
                          classes=[ReuseCriterion(label="判定不能", conditions=[ReuseCondition(reason="建築年が不明")])],
                          labels=["判定不能"])
    flat = "".join(flow_page(survey_report_pdf(msgspec.structs.replace(survey, reuse=rules), fonts), poppler).split())
    assert "「利活用判定」（判定基準・区分ごとの件数・分布図）" in flat
    assert flat.index("不良度（別表第1）") < flat.index("「利活用判定」") < flat.index("所有者意向調査：未実施")


def test_with_candidate_lists_and_letters_sent_the_flow_says_what_was_done_and_where(survey, fonts, poppler):
    from reports.letters_model import OwnerSurveyTally
    from reports.model import CandidateTally

    done = msgspec.structs.replace(
        survey, candidates=CandidateTally(total=50, outcomes=[("調査済", 21), ("未了", 29)],
                                          sources=[("水道", 32), ("課税台帳", 28)]),
        owner_survey=OwnerSurveyTally(sent=15, returned=2, answered=8, answered_web=5, answered_paper=3))
    flat = "".join(flow_page(survey_report_pdf(done, fonts), poppler).split())
    assert "町の候補リスト（水道32件、課税台帳28件）を住所で家屋と照合し、50件の候補にまとめました" in flat
    assert "「候補の抽出と結果の内訳」" in flat
    assert "発送15件、返戻2件" in flat and "8件の回答" in flat and "「所有者意向調査」" in flat
    assert "未実施" not in flat


# The 候補 box of the demo contract: at this width the old breaker left 「。」 alone on the last line.
REGISTERED = ("町の候補リスト（水道 32件、課税台帳 28件）を住所で家屋と照合し、50件の候補にまとめました。この契約に登録された"
              "家屋 40件。うち郵便局が確認・承認した調査 21件が本報告書の対象です（ほかに未調査・確認中 19件）。")


@pytest.mark.parametrize("width", range(150, 420, 3))
def test_a_box_line_never_begins_with_a_closing_mark_nor_ends_with_an_opening_one_nor_splits_a_number(fonts, width):
    lines = _lines(REGISTERED, fonts.gothic, FONT_SIZE, width)
    assert "".join(lines) == REGISTERED  # nothing lost, nothing added
    assert not [line for line in lines[1:] if line[0] in "。、・）」"]
    assert not [line for line in lines[:-1] if line[-1] in "（「"]
    assert not [(a, b) for a, b in zip(lines, lines[1:]) if a[-1].isdigit() and b[0].isdigit()]


def test_the_box_text_of_the_demo_width_ends_its_last_line_with_the_full_stop(fonts):
    text_width = FRAME_WIDTH - NAME_MM * mm - 2 * PAD - LABEL_MM * mm  # as flow_drawing lays the 決め手 out
    lines = _lines(REGISTERED, fonts.gothic, FONT_SIZE, text_width)
    assert lines[-1].endswith("19件）。") and len(lines[-1]) > 1
