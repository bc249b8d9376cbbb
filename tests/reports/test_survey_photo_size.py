"""The survey report embeds each photo once, at the size a house sheet prints it."""

import os

from reports import survey_report_pdf
from reports.samples import survey_report
from reports.survey_photos import SHEET_LONG_EDGE, sheet_photos


def test_photos_go_into_the_report_at_sheet_size_made_once_and_reused(tmp_path, fonts, poppler):
    survey = survey_report(tmp_path / "photos", n=6, size=(800, 600), quality=70)  # as ingest leaves them
    cache = tmp_path / "cache"
    pdf = survey_report_pdf(survey, fonts, photo_cache=cache)
    listed = poppler._run("pdfimages", pdf, "-list").splitlines()[2:]
    widths = [int(line.split()[3]) for line in listed]
    assert widths and max(widths) == SHEET_LONG_EDGE
    made = {p: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert made and survey_report_pdf(survey, fonts, photo_cache=cache) == pdf
    assert {p: p.stat().st_mtime_ns for p in cache.iterdir()} == made  # reused, not made again


def test_a_photo_costs_under_a_third_of_its_report_size_bytes(tmp_path):
    survey = survey_report(tmp_path / "photos", n=4, size=(800, 600), quality=70)
    small = sheet_photos(survey, tmp_path / "cache")
    before = sum(os.path.getsize(ph.path) for row in survey.rows for ph in row.photos)
    after = sum(os.path.getsize(ph.path) for row in small.rows for ph in row.photos)
    assert after < before / 3


def test_a_photo_already_small_enough_is_used_as_it_is(tmp_path):
    survey = survey_report(tmp_path / "photos", n=2, size=(400, 300), quality=75)
    small = sheet_photos(survey, tmp_path / "cache")
    assert [ph.path for row in small.rows for ph in row.photos] == [ph.path for row in survey.rows for ph in row.photos]
