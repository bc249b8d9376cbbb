import msgspec

from reports import survey_report_pdf
from reports.model import Flag
from reports.survey_summary import summarise


def test_survey_report_has_cover_summary_list_sheets_and_method(survey, fonts, poppler):
    pdf = survey_report_pdf(survey, fonts)
    text = poppler.text(pdf)
    for words in ("空き家調査報告書", "東松総第123号", "2025年10月1日（令和7年10月1日）", "集計",
                  "大字・町丁目別の件数", "調査物件一覧", "調査の方法", "「道路からのみ」の意味"):
        assert words in text
    for row in survey.rows:
        assert f"No.{row.ref}" in text and row.property.address in text
    assert poppler.pages(pdf) >= len(survey.rows) + 4


def test_survey_report_embeds_fonts_charts_and_photos(survey, fonts, poppler):
    pdf = survey_report_pdf(survey, fonts)
    used = poppler.fonts(pdf)
    assert {name.split("+")[-1] for name, _ in used} == {"IPAexGothic", "IPAexMincho"}
    assert all(emb == "yes" for _, emb in used)
    assert poppler.images(pdf) == sum(len(r.photos) for r in survey.rows)
    assert "管理不全空家等・特定空家等の所見（件数）" in poppler.text(pdf)  # the chart's title
    assert pdf == survey_report_pdf(survey, fonts)


def test_summary_counts_each_property_once_per_flag_category(survey):
    two_in_one = [Flag(category="景観", level="管理不全", label="外壁の汚損"),
                  Flag(category="景観", level="管理不全", label="看板の破損")]
    rows = [msgspec.structs.replace(survey.rows[0], flags=two_in_one)] + [
        msgspec.structs.replace(r, flags=[]) for r in survey.rows[1:]]
    s = summarise(msgspec.structs.replace(survey, rows=rows))
    assert s.flags[("景観", "管理不全")] == 1
    assert sum(s.flags.values()) == 1


def test_summary_counts_add_up(survey):
    s = summarise(survey)
    assert list(s.by_likelihood) == ["低", "中", "高"]
    assert list(s.by_rank) == ["A", "B", "C", "D"]
    assert sum(s.by_likelihood.values()) == sum(s.by_rank.values()) == s.total == len(survey.rows)
    assert sum(d.total for d in s.by_district) == s.total
