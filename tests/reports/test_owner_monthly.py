import os
import re
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
from PIL import Image
from reportlab.lib.units import mm

from reports import GETA, MissingGlyphs, PhotoMissing, owner_monthly_pdf
from reports.model import Owner, Photo
from reports.pdf_base import FRAME_WIDTH, MARGIN
from reports.samples import WATCH_ITEMS, make_photo


def test_report_shows_property_items_and_era_dates(ordinary_visit, fonts, poppler):
    text = poppler.text(owner_monthly_pdf(ordinary_visit, fonts))
    assert "空き家みまもり報告書" in text
    assert "宮城県東松島市赤井字台12番地3" in text
    assert "山田 花子" in text
    for _, label in WATCH_ITEMS:
        assert label in text
    assert "2025年11月27日（令和7年11月27日）" in text
    assert "14時05分～14時40分" in text
    assert "次回の訪問は2025年12月（令和7年12月）の予定です" in text
    assert "異常なし → 要確認（悪くなりました）" in text
    assert "5部屋の窓と玄関を開けて、約30分間換気し" in text


def test_ordinary_visit_is_two_pages(ordinary_visit, fonts, poppler):
    assert poppler.pages(owner_monthly_pdf(ordinary_visit, fonts)) == 2


def test_every_font_is_embedded_and_it_is_ipaex_gothic(ordinary_visit, fonts, poppler):
    used = poppler.fonts(owner_monthly_pdf(ordinary_visit, fonts))
    assert {name.split("+")[-1] for name, _ in used} == {"IPAexGothic"}
    assert all(emb == "yes" for _, emb in used)


def test_photos_and_the_before_after_pair_are_drawn(ordinary_visit, fonts, poppler):
    pdf = owner_monthly_pdf(ordinary_visit, fonts)
    assert poppler.images(pdf) == len(ordinary_visit.photos) + 2
    assert re.search(r"外観（北側）\s+2025/11/27 14:05", poppler.text(pdf))


def test_same_data_gives_identical_bytes(ordinary_visit, fonts):
    assert owner_monthly_pdf(ordinary_visit, fonts) == owner_monthly_pdf(ordinary_visit, fonts)


def test_creation_date_comes_from_the_issue_date(ordinary_visit, fonts):
    assert b"/CreationDate (D:20251128000000" in owner_monthly_pdf(ordinary_visit, fonts)


def test_a_character_no_font_has_is_refused_with_the_field_named(ordinary_visit, fonts):
    report = msgspec.structs.replace(ordinary_visit, remarks="雨どいが外れています🙂")
    with pytest.raises(MissingGlyphs) as e:
        owner_monthly_pdf(report, fonts)
    assert [(m.field, m.chars) for m in e.value.found] == [("remarks", "🙂")]
    assert "remarks「🙂」" in str(e.value)


def test_substituted_emoji_prints_geta_and_every_page_says_so(ordinary_visit, fonts, poppler):
    report = msgspec.structs.replace(ordinary_visit, remarks="雨どいが外れています🙂")
    pdf = owner_monthly_pdf(report, fonts, substitute_missing=True)
    text = poppler.text(pdf)
    assert f"雨どいが外れています{GETA}" in text
    assert text.count(f"フォントにない文字（絵文字など）は{GETA}で表示しています") == poppler.pages(pdf) == 2


def test_a_report_without_substitutions_has_no_note_about_them(ordinary_visit, fonts, poppler):
    text = poppler.text(owner_monthly_pdf(ordinary_visit, fonts, substitute_missing=True))
    assert "で表示しています" not in text and GETA not in text


def test_quiet_month_says_nothing_changed_and_nothing_to_do(ordinary_visit, fonts, poppler):
    quiet = msgspec.structs.replace(ordinary_visit, changes=[], actions=[], airing=None, mail=None)
    pdf = owner_monthly_pdf(quiet, fonts)
    text = poppler.text(pdf)
    assert "先月の訪問時から変わったところはありません" in text
    assert "今月は、ご対応をお願いすることはありません" in text
    assert poppler.pages(pdf) == 2


def test_missing_photo_file_is_named(ordinary_visit, fonts, tmp_path):
    gone = Photo(slot_key="north", slot_label="外観（北側）", path=str(tmp_path / "gone.jpg"))
    report = msgspec.structs.replace(ordinary_visit, photos=[gone])
    with pytest.raises(PhotoMissing, match="外観（北側）"):
        owner_monthly_pdf(report, fonts)


def test_another_process_builds_the_same_bytes(ordinary_visit, fonts, photo_dir, tmp_path):
    script = (
        "import sys; from pathlib import Path; from reports import load_fonts, owner_monthly_pdf;"
        "from reports.samples import owner_report;"
        f"sys.stdout.buffer.write(owner_monthly_pdf(owner_report(Path({str(photo_dir)!r})), load_fonts()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "America/New_York"}
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, env=env,
                           cwd=Path(__file__).resolve().parents[2]).stdout
    assert other == owner_monthly_pdf(ordinary_visit, fonts)


def test_portrait_photo_is_fitted_upright_into_its_cell(ordinary_visit, fonts, photo_dir, poppler):
    tall = make_photo(photo_dir / "portrait.jpg", 7, size=(768, 1024))
    photos = [msgspec.structs.replace(ordinary_visit.photos[0], path=str(tall))] + ordinary_visit.photos[1:]
    pdf = owner_monthly_pdf(msgspec.structs.replace(ordinary_visit, photos=photos), fonts)
    assert poppler.pages(pdf) == 2
    [placed] = [image for image in poppler.placed_images(pdf) if image.pixels == (768, 1024)]
    # the first photo without an earlier partner: the first of a row of three cells, 40 mm high;
    # it is centred in its cell as its two landscape neighbours are in theirs
    cell_width, frame_height = FRAME_WIDTH / 3, 40 * mm
    assert placed.height > placed.width
    assert placed.width / placed.height == pytest.approx(768 / 1024, abs=0.02)
    assert placed.height == pytest.approx(frame_height, abs=1.5)  # a tall photo fills the height
    assert placed.width <= cell_width - 8 + 1
    row = sorted((i for i in poppler.placed_images(pdf) if i.page == placed.page and abs(i.top - placed.top) < 1),
                 key=lambda i: i.left)
    assert len(row) == 3 and row[0] == placed
    centres = [i.left + i.width / 2 for i in row]
    assert centres[1] - centres[0] == pytest.approx(cell_width, abs=1.5)
    assert centres[2] - centres[1] == pytest.approx(cell_width, abs=1.5)
    cell_left = centres[0] - cell_width / 2
    assert MARGIN - 1 <= cell_left <= placed.left and placed.left + placed.width <= cell_left + cell_width
    # upright: the drawn picture looks like the photo, not like it turned upside down or mirrored
    drawn = _small(poppler.render(pdf, placed.page, placed.box))
    with Image.open(tall) as source:
        upright = _small(source)
        turned = {name: _small(source.transpose(way)) for name, way in (
            ("upside down", Image.Transpose.ROTATE_180), ("mirrored", Image.Transpose.FLIP_LEFT_RIGHT),
            ("flipped", Image.Transpose.FLIP_TOP_BOTTOM))}
    assert _distance(drawn, upright) < 12
    for name, other in turned.items():
        assert _distance(drawn, upright) * 2 < _distance(drawn, other), name


def _small(image: Image.Image) -> list[int]:
    """The picture's gist: 6 × 8 grey levels."""
    return list(image.convert("L").resize((6, 8), Image.Resampling.BOX).tobytes())


def _distance(a: list[int], b: list[int]) -> float:
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)
