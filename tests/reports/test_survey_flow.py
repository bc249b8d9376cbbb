"""The survey report's 判定フロー: one drawn page, the six steps in order, each with what decides it and the
report's section that holds its criteria; a step the contract's form does not take, and the owners'
intention survey the system has not done, say so instead of describing work that was not done; a form
without 利活用判定 rules has no such step (its report mentions 利活用 nowhere)."""

import msgspec

from reports import survey_report_pdf
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
