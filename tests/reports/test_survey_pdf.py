import msgspec

from reports import survey_report_pdf
from reports.model import Flag
from reports.survey_pdf import survey_report_pdfs_by_district
from reports.survey_summary import summarise


def test_survey_report_has_cover_method_criteria_summary_maps_list_sheets_and_form(survey, fonts, poppler):
    pdf = survey_report_pdf(survey, fonts)
    text = poppler.text(pdf)
    for words in ("空き家調査報告書", "東松総第123号", "2025年10月1日（令和7年10月1日）", "集計",
                  "大字・町丁目別の件数", "調査物件一覧", "調査の方法", "「道路からのみ」の意味", "判定基準表",
                  "住宅地区改良法施行規則（昭和35年建設省令第10号）第1条・別表第1", "現況 × ランク（件数）",
                  "付録 調査票（様式）"):
        assert words in text, words
    for row in survey.rows:
        assert f"No.{row.ref}" in text and row.property.address in text
    for district in ("赤井", "矢本", "大曲", "小松", "大塩", "野蒜"):
        assert f"位置図・分布図（{district}）" in text
    assert poppler.pages(pdf) >= len(survey.rows) + 4


def test_the_method_and_criteria_come_before_the_results(survey, fonts, poppler):
    text = poppler.text(survey_report_pdf(survey, fonts))
    assert text.index("調査の方法") < text.index("判定基準表") < text.index("集計") < text.index("調査物件一覧")


def test_no_page_calls_the_municipal_score_futyoudo_nor_labels_a_house(survey, fonts, poppler):
    text = poppler.text(survey_report_pdf(survey, fonts))
    assert "不良度（自治体基準）" not in text and "危険度（自治体基準）" in text
    assert "特定の可能性" not in text and "管理不全の可能性" not in text
    assert "判定不能" in text  # a range straddling 100 is said so, never rounded to a verdict


def test_vacancy_rate_is_printed_only_when_the_contract_gives_the_houses_in_the_area(survey, fonts, poppler):
    with_rate = poppler.text(survey_report_pdf(survey, fonts))
    assert "調査区域の住宅数 18,400 戸" in with_rate
    no_count = msgspec.structs.replace(survey, contract=msgspec.structs.replace(survey.contract, houses_in_area=None))
    assert "空き家率" not in poppler.text(survey_report_pdf(no_count, fonts))


def test_the_comparison_with_the_earlier_survey_has_a_summary_and_a_line_per_house(survey, fonts, poppler):
    text = poppler.text(survey_report_pdf(survey, fonts))
    assert "前回調査との比較" in text and "令和6年度 空家等実態調査業務" in text
    for outcome in ("継続", "解消", "除却", "新規"):
        assert outcome in text
    assert "宮城県東松島市赤井字後1番地" in text  # removed since: listed as 除却
    none = msgspec.structs.replace(survey, comparison=None)
    assert "前回調査との比較" not in poppler.text(survey_report_pdf(none, fonts))


def test_survey_report_embeds_fonts_charts_and_photos(survey, fonts, poppler):
    pdf = survey_report_pdf(survey, fonts)
    used = poppler.fonts(pdf)
    assert {name.split("+")[-1] for name, _ in used} == {"IPAexGothic", "IPAexMincho"}
    assert all(emb == "yes" for _, emb in used)
    assert poppler.images(pdf) == sum(len(r.photos) for r in survey.rows)
    assert "所見の件数" in poppler.text(pdf)  # the chart's title
    assert pdf == survey_report_pdf(survey, fonts)


def test_the_report_split_by_district_holds_each_house_once(survey, fonts, poppler):
    parts = survey_report_pdfs_by_district(survey, fonts)
    assert list(parts) == ["赤井", "矢本", "大曲", "小松", "大塩", "野蒜"]
    for district, pdf in parts.items():
        text = poppler.text(pdf)
        mine = [r for r in survey.rows if r.property.district == district]
        assert all(f"No.{r.ref}" in text for r in mine)
        assert not any(f"No.{r.ref}" in text for r in survey.rows if r not in mine)


def test_summary_counts_each_property_once_per_flag_category_and_urgency(survey):
    two_in_one = [Flag(category="景観", urgency="経過観察", label="外壁の汚損のおそれ（要現地確認）"),
                  Flag(category="景観", urgency="経過観察", label="看板の破損のおそれ（要現地確認）")]
    rows = [msgspec.structs.replace(survey.rows[0], flags=two_in_one)] + [
        msgspec.structs.replace(r, flags=[]) for r in survey.rows[1:]]
    s = summarise(msgspec.structs.replace(survey, rows=rows))
    assert s.flags[("景観", "経過観察")] == 1
    assert sum(s.flags.values()) == 1


def test_summary_counts_add_up(survey):
    s = summarise(survey)
    assert list(s.by_likelihood) == ["高", "中", "低", "居住中", "更地・建替中", "判断不能"]
    assert list(s.by_rank) == ["A", "B", "C"]
    assert sum(s.by_likelihood.values()) == sum(s.by_rank.values()) == s.total == len(survey.rows)
    assert sum(s.cross.values()) == s.total
    assert sum(d.total for d in s.by_district) == s.total
