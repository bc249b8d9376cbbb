import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from server.demo.town import property_by_key

from .exif import degrees, read_exif

SAMPLES = Path(__file__).resolve().parents[2] / "sample_photos"
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
BY_QUIRK = {entry["quirk"]: entry for entry in MANIFEST}


def read(entry) -> bytes:
    return (SAMPLES / entry["file"]).read_bytes()


def test_the_manifest_lists_exactly_the_jpegs_on_disk():
    assert sorted(e["file"] for e in MANIFEST) == sorted(p.name for p in SAMPLES.glob("*.jpg"))
    for entry in MANIFEST:
        assert (SAMPLES / entry["file"]).stat().st_size == entry["bytes"], entry["file"]


def test_there_are_a_dozen_ordinary_photos_and_each_awkward_kind():
    assert sum(e["quirk"] == "none" for e in MANIFEST) == 12
    assert set(BY_QUIRK) == {"none", "no_exif", "gps_far_away", "orientation_6", "truncated", "original_12mp"}


@pytest.mark.parametrize("entry", [e for e in MANIFEST if e["quirk"] == "none"], ids=lambda e: e["file"])
def test_an_ordinary_photo_carries_the_time_and_the_position_of_its_property(entry):
    data = read(entry)
    assert 100_000 <= len(data) <= 300_000
    assert Image.open(io.BytesIO(data)).size == (1600, 1200)
    tags = read_exif(data)
    house = property_by_key(entry["property"])
    assert (entry["lat"], entry["lon"]) == (house.lat, house.lon)
    assert degrees(tags, "Latitude") == pytest.approx(house.lat, abs=1e-6)
    assert degrees(tags, "Longitude") == pytest.approx(house.lon, abs=1e-6)
    taken = datetime.fromisoformat(entry["taken_at"])
    assert str(tags["EXIF DateTimeOriginal"]) == taken.strftime("%Y:%m:%d %H:%M:%S")
    assert str(tags["EXIF OffsetTimeOriginal"]) == "+09:00" and entry["taken_at"].endswith("+09:00")


def test_the_photo_without_exif_has_none():
    entry = BY_QUIRK["no_exif"]
    assert read_exif(read(entry)) == {}
    assert entry["lat"] is None and entry["taken_at"] is None


def test_the_far_away_photo_was_taken_in_another_prefecture():
    entry = BY_QUIRK["gps_far_away"]
    tags = read_exif(read(entry))
    house = property_by_key(entry["property"])
    assert degrees(tags, "Latitude") == pytest.approx(entry["lat"], abs=1e-6)
    assert abs(degrees(tags, "Longitude") - house.lon) > 2  # about 200 km west


def test_the_sideways_photo_turns_upright_into_portrait():
    image = Image.open(io.BytesIO(read(BY_QUIRK["orientation_6"])))
    assert image.getexif()[0x0112] == 6
    assert image.size == (1600, 1200) and ImageOps.exif_transpose(image).size == (1200, 1600)


def test_the_truncated_photo_keeps_its_header_but_cannot_be_decoded():
    data = read(BY_QUIRK["truncated"])
    assert data.startswith(b"\xff\xd8") and not data.endswith(b"\xff\xd9")
    assert str(read_exif(data)["EXIF DateTimeOriginal"]) == "2026:11:25 11:02:09"
    with pytest.raises(OSError):
        Image.open(io.BytesIO(data)).load()


def test_the_12_megapixel_original_is_a_few_megabytes():
    data = read(BY_QUIRK["original_12mp"])
    assert Image.open(io.BytesIO(data)).size == (4000, 3000)
    assert 2_000_000 <= len(data) <= 4_000_000
