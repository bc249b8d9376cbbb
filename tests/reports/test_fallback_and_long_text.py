"""Names IPAex lacks print in IPAmj明朝; text of any length gives a PDF, cut with its length stated."""

import subprocess
from pathlib import Path

import msgspec
import pytest
from PIL import Image

from reports import disaster_notice_pdf, owner_monthly_pdf, survey_report_pdf
from reports.glyphs import map_strings
from reports.longtext import FIELD_MAX
from reports.model import Owner, Property
from reports.samples import disaster_notice, owner_report, survey_report

LONG = 120_000


def _ink(pdf: bytes, tmp_path: Path, name: str) -> int:
    """Dark pixels in the addressee line of page 1 (pdftoppm at 200 dpi)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-x", "80", "-y", "260", "-W", "500",
                    "-H", "80", str(path), str(tmp_path / name)], check=True)
    image = Image.open(next(tmp_path.glob(f"{name}*.png"))).convert("L")
    return sum(1 for v in image.get_flattened_data() if v < 160)


def test_a_name_with_a_kanji_ipaex_lacks_is_drawn_in_ipamj_mincho(ordinary_visit, fonts, poppler, tmp_path):
    with_kichi = owner_monthly_pdf(msgspec.structs.replace(ordinary_visit, owner=Owner(name="𠮷田 花子")), fonts)
    embedded = poppler.fonts(with_kichi)
    assert any("IPAmjMincho" in name and emb == "yes" for name, emb in embedded), embedded
    # The glyph is drawn, not a blank: the line holds more ink than without the character,
    # and less than with 〓 (a solid block) in its place.
    blank = owner_monthly_pdf(msgspec.structs.replace(ordinary_visit, owner=Owner(name="　田 花子")), fonts)
    geta = owner_monthly_pdf(msgspec.structs.replace(ordinary_visit, owner=Owner(name="〓田 花子")), fonts)
    ink = {n: _ink(pdf, tmp_path, n) for n, pdf in (("kichi", with_kichi), ("blank", blank), ("geta", geta))}
    assert ink["blank"] + 150 < ink["kichi"] < ink["geta"], ink


def test_a_report_without_rare_kanji_embeds_no_fallback_font(ordinary_visit, fonts, poppler):
    assert not any("IPAmj" in name for name, _ in poppler.fonts(owner_monthly_pdf(ordinary_visit, fonts)))


def _everything_long(doc):
    return map_strings(doc, lambda text, _field: (text or "長") * (LONG // max(len(text), 1) + 1))


@pytest.mark.parametrize("make,draw", [
    (owner_report, owner_monthly_pdf),
    (disaster_notice, disaster_notice_pdf),
    (lambda photos: survey_report(photos, n=2), survey_report_pdf),
], ids=["owner_monthly", "disaster_notice", "survey"])
def test_every_field_120000_characters_long_still_gives_a_pdf_that_says_what_was_cut(
        make, draw, photo_dir, fonts, poppler):
    pdf = draw(_everything_long(make(photo_dir)), fonts)
    text = poppler.text(pdf)
    assert "文字省略）" in text
    assert "長い記載は途中で省略し、省いた文字数を示しています" in text
    assert poppler.pages(pdf) < 120


def test_a_long_address_is_cut_at_the_limit_with_the_rest_counted(survey, fonts, poppler):
    address = "宮城県東松島市" + "あ" * (LONG - 7)
    rows = [msgspec.structs.replace(r, property=Property(address=address)) for r in survey.rows]
    text = poppler.text(survey_report_pdf(msgspec.structs.replace(survey, rows=rows), fonts)).replace("\n", "")
    assert f"…（以下{LONG - FIELD_MAX:,}文字省略）" in text
