"""The survey report with real v2 sheets (every item answered, a comment, three photos): a house whose
findings fit takes one page, and bench/survey_size.py prints pages and MB per 1,000 houses."""

import subprocess
import sys
from pathlib import Path

import pytest

from bench.survey_size import report_with
from reports import load_fonts, survey_report_pdf

ROOT = Path(__file__).resolve().parents[2]


def _page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "survey.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")


@pytest.fixture(scope="module")
def fonts():
    return load_fonts()


def test_a_sound_house_with_every_answer_and_three_photos_fits_one_page(tmp_path, fonts):
    report = report_with(3, tmp_path / "photos", damaged_share=0)
    pages = _page_texts(survey_report_pdf(report, fonts, photo_cache=tmp_path / "cache"), tmp_path)
    starts = [n for n, text in enumerate(pages) if text.lstrip().startswith("No.000")]
    assert len(starts) == 3
    assert [b - a for a, b in zip(starts, starts[1:])] == [1, 1]  # the next house begins on the next page
    sheet = pages[starts[0]]
    assert sheet.count("2026/06/15 09:57") == 3  # three photos, each with its time, on the sheet's page
    assert "1(一) 基礎" in sheet and "自由記入" not in sheet  # every answer; the comment printed once as コメント


def test_the_size_bench_prints_pages_and_megabytes_per_1000_houses():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "survey_size.py"), "--houses", "3", "6"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "pages per house; per 1,000 houses" in done.stdout and " MB " in done.stdout
