"""A document that cannot be drawn as it stands never breaks another: owners get 〓, the clerk
may ask for the strict 422, and the next, unrelated PDF is still made (read with poppler)."""

import subprocess
from datetime import datetime

import pytest

from tests.documents.test_report_downloads import _contract
from tests.office.db import execute
from tests.support.field import JST, Visit, watch_visit

NOTE = "雨どいが外れています🙂"


def _approve(as_, carrier: str, clerk: str, visit: Visit) -> Visit:
    assert as_(carrier).push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_(carrier))) == {201}
    assert as_(clerk).post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    return visit


def _month() -> str:
    return datetime.now(JST).strftime("%Y-%m")


def _pdf(response, tmp_path, name="doc") -> tuple[str, str]:
    """(text, fonts) of a PDF response."""
    assert response.status_code == 200, response.text
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return text, fonts


@pytest.fixture
def emoji_note(world, as_):
    """Aoki wrote an emoji in a note at Ono's house; Ueda approved it."""
    return _approve(as_, "aoki", "ueda", watch_visit(world, overrides={"garden": "check", "garden_note": NOTE}))


@pytest.fixture
def oda_visit(world, as_):
    """An unrelated, ordinary visit at Oda's house (another office)."""
    return _approve(as_, "kato", "kudo", Visit(property_id=world.properties["north"], rubric_id="watch_basic",
                                                task_id=world.tasks["north"],
                                                lat=35.7000, lon=139.7550))


def test_the_owner_gets_the_report_with_geta_for_an_emoji_and_the_report_says_so(world, as_, emoji_note, tmp_path):
    response = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": _month()})
    text, _ = _pdf(response, tmp_path)
    assert "雨どいが外れています〓" in text
    assert "フォントにない文字（絵文字など）は〓で表示しています" in text


def test_an_owner_asking_for_strict_still_gets_the_report(world, as_, emoji_note, tmp_path):
    response = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}",
                              params={"month": _month(), "strict": "true"})
    assert "雨どいが外れています〓" in _pdf(response, tmp_path)[0]


def test_the_clerks_strict_download_is_a_422_naming_the_field(world, as_, emoji_note):
    response = as_("ueda").get(f"/api/v1/reports/owner/{world.properties['watched']}",
                               params={"month": _month(), "strict": "true"})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "missing_glyphs"
    [field] = body["details"]["fields"]
    assert field["field"].startswith("items[") and field["field"].endswith("].comment") and field["chars"] == "🙂"
    assert "🙂" in body["message"] and "〓" in body["message"]


def test_after_a_refused_document_the_next_unrelated_pdfs_are_still_made(world, as_, emoji_note, oda_visit,
                                                                         tmp_path):
    url = f"/api/v1/reports/owner/{world.properties['watched']}"
    for _ in range(2):
        assert as_("ueda").get(url, params={"month": _month(), "strict": "true"}).status_code == 422
    text, _ = _pdf(as_("oda").get(f"/api/v1/reports/owner/{world.properties['north']}",
                                  params={"month": _month()}), tmp_path, "oda")
    assert "織田 信子" in text
    contract = _contract(world)
    text, _ = _pdf(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf"), tmp_path, "survey")
    assert "空き家調査報告書" in text
    assert "雨どいが外れています〓" in _pdf(as_("ono").get(url, params={"month": _month()}), tmp_path, "ono")[0]


def test_an_owner_name_ipaex_lacks_prints_in_ipamj_mincho(world, as_, settings, oda_visit, tmp_path):
    execute(settings, "UPDATE owners SET name = '𠮷田 信子' WHERE id = ?", world.owners["oda"])
    response = as_("oda").get(f"/api/v1/reports/owner/{world.properties['north']}", params={"month": _month()})
    text, fonts = _pdf(response, tmp_path)
    assert "IPAmjMincho" in fonts and "〓" not in text  # 𠮷 itself is checked by rendering in tests/reports


def test_a_120000_character_address_still_gives_every_pdf(world, as_, settings, emoji_note, tmp_path):
    address = "東京都千代田区" + "一" * 119_993
    execute(settings, "UPDATE properties SET address = ?", address)
    contract = _contract(world)
    _approve(as_, "aoki", "ueda", Visit(property_id=world.properties["surveyed"], rubric_id="municipal_survey",
                                        task_id=world.tasks["survey"], lat=35.6880, lon=139.7380))
    survey, _ = _pdf(as_("mori").get(f"/api/v1/reports/survey/{contract}.pdf"), tmp_path, "survey")
    owner, _ = _pdf(as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}",
                                   params={"month": _month()}), tmp_path, "owner")
    for text in (survey, owner):
        assert "文字省略）" in text.replace("\n", "") and "長い記載は途中で省略し、省いた文字数を示しています" in text
