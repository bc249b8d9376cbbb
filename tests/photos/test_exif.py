from datetime import datetime, timedelta, timezone

import pytest

from server.photos import read_exif

from .photo_factory import (
    TOKYO_STATION,
    exif,
    house_picture,
    jpeg,
    with_broken_ifd_offset,
    with_zero_gps_denominators,
)

JST = timezone(timedelta(hours=9))


@pytest.fixture(scope="module")
def picture():
    return house_picture((320, 240))


def photo_file(tmp_path, data: bytes):
    path = tmp_path / "original.jpg"
    path.write_bytes(data)
    return path


def test_phone_exif_gives_time_position_and_camera(tmp_path, picture):
    facts = read_exif(photo_file(tmp_path, jpeg(picture, exif())))
    assert facts.taken_at == datetime(2025, 11, 27, 10, 15, 30, tzinfo=JST)
    assert facts.offset_assumed is False
    assert facts.lat == pytest.approx(TOKYO_STATION[0], abs=1e-6)
    assert facts.lon == pytest.approx(TOKYO_STATION[1], abs=1e-6)
    assert facts.camera == "Apple iPhone 13"


def test_offset_time_original_sets_the_zone(tmp_path, picture):
    facts = read_exif(photo_file(tmp_path, jpeg(picture, exif(offset="-05:30"))))
    assert facts.taken_at.utcoffset() == -timedelta(hours=5, minutes=30)
    assert facts.offset_assumed is False


def test_missing_offset_assumes_japan_time_and_says_so(tmp_path, picture):
    facts = read_exif(photo_file(tmp_path, jpeg(picture, exif(offset=None))))
    assert facts.taken_at == datetime(2025, 11, 27, 10, 15, 30, tzinfo=JST)
    assert facts.offset_assumed is True


def test_blank_capture_time_is_no_capture_time(tmp_path, picture):
    facts = read_exif(photo_file(tmp_path, jpeg(picture, exif(taken="0000:00:00 00:00:00"))))
    assert facts.taken_at is None
    assert facts.offset_assumed is False


def test_photo_without_gps_has_no_position(tmp_path, picture):
    facts = read_exif(photo_file(tmp_path, jpeg(picture, exif(gps=None))))
    assert (facts.lat, facts.lon) == (None, None)
    assert facts.taken_at is not None


def test_southern_and_western_references_give_negative_degrees(tmp_path, picture):
    facts = read_exif(photo_file(tmp_path, jpeg(picture, exif(gps=(-33.8568, -151.2153)))))
    assert facts.lat == pytest.approx(-33.8568, abs=1e-5)
    assert facts.lon == pytest.approx(-151.2153, abs=1e-5)


def test_zero_denominator_in_gps_is_no_position_but_keeps_the_rest(tmp_path, picture):
    facts = read_exif(photo_file(tmp_path, with_zero_gps_denominators(jpeg(picture, exif()))))
    assert (facts.lat, facts.lon) == (None, None)
    assert facts.taken_at is not None


def test_broken_ifd_offset_gives_empty_facts(tmp_path, picture):
    facts = read_exif(photo_file(tmp_path, with_broken_ifd_offset(jpeg(picture, exif(orientation=6)))))
    assert facts == type(facts)()


def test_file_cut_inside_the_exif_gives_empty_facts(tmp_path, picture):
    data = jpeg(picture, exif())
    facts = read_exif(photo_file(tmp_path, data[: data.index(b"Exif") + 40]))
    assert facts == type(facts)()


def test_orientation_is_read(tmp_path, picture):
    assert read_exif(photo_file(tmp_path, jpeg(picture, exif(orientation=6)))).orientation == 6


def test_model_that_repeats_the_make_is_not_doubled(tmp_path, picture):
    facts = read_exif(photo_file(tmp_path, jpeg(picture, exif(make="Canon", model="Canon EOS R6"))))
    assert facts.camera == "Canon EOS R6"


def test_the_phones_compass_heading_is_kept_when_the_photo_has_one(tmp_path, picture):
    facing = read_exif(photo_file(tmp_path, jpeg(picture, exif(heading=47.5))))
    assert facing.heading == pytest.approx(47.5)
    assert read_exif(photo_file(tmp_path, jpeg(picture, exif()))).heading is None
