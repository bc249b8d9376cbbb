"""The 空き家カルテ: one A4 page per house however much was found, the owners' intention stated as not surveyed
(nothing invented), and a contract without approved results says so on its one page. Read back with pdftotext."""

import msgspec

from reports.house_karte import INTENTION_NOT_SURVEYED, house_karte_pdf
from reports.model import Flag


def test_each_house_gets_exactly_one_page_even_with_many_findings_and_a_long_comment(survey, fonts, poppler):
    crowded = msgspec.structs.replace(
        survey.rows[1], comment="北側の外壁に大きなひび割れがあり、" * 40,
        flags=[Flag(category="保安上危険", urgency="至急", label=f"所見その{n}：屋根材の落下のおそれ（要現地確認）")
               for n in range(25)])
    report = msgspec.structs.replace(survey, rows=[survey.rows[0], crowded, survey.rows[2]])
    pdf = house_karte_pdf(report, fonts)
    assert poppler.pages(pdf) == 3
    pages = [page.replace("\n", "") for page in poppler.text(pdf).split("\f")[:3]]
    for page, row in zip(pages, report.rows):
        assert f"No.{row.ref}" in page and row.property.address in page.replace(" ", "")
        assert INTENTION_NOT_SURVEYED in page.replace(" ", "")
    assert "所見その24" in pages[1]


def test_a_contract_without_approved_results_prints_one_page_saying_so(survey, fonts, poppler):
    pdf = house_karte_pdf(msgspec.structs.replace(survey, rows=[]), fonts)
    assert poppler.pages(pdf) == 1
    assert "承認した調査結果がまだありません" in poppler.text(pdf).replace("\n", "")


def test_once_letters_were_sent_the_karte_points_to_the_reports_count_and_prints_no_answer(survey, fonts, poppler):
    from reports.letters_model import OwnerSurveyTally

    surveyed = msgspec.structs.replace(survey, owner_survey=OwnerSurveyTally(sent=15, returned=2, answered=8))
    text = "".join(poppler.text(house_karte_pdf(surveyed, fonts)).split())
    assert "所有者意向調査：この契約で実施。回答は家屋ごとには載せていません" in text
    assert "未実施" not in text
