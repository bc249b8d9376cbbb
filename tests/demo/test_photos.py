import io
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image, ImageOps

from server.demo.history import demo_history, demo_photo
from server.demo.photos import house_photo

from .exif import degrees, read_exif

TOWN_HALL = (35.67000, 137.93000)
NOON_UTC = datetime(2026, 11, 20, 3, 15, 30, tzinfo=timezone.utc)  # 12:15:30 in Japan


def photo(seed=7, **kwargs) -> bytes:
    return house_photo(seed, **{"lat": TOWN_HALL[0], "lon": TOWN_HALL[1], "taken_at": NOON_UTC} | kwargs)


def test_same_arguments_give_the_same_bytes():
    assert photo() == photo()


def test_different_seeds_draw_different_houses():
    assert photo(seed=1) != photo(seed=2)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_a_photo_is_a_1600_by_1200_jpeg_of_100_to_300_kb(seed):
    data = photo(seed=seed)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("JPEG", (1600, 1200))
    assert 100_000 <= len(data) <= 300_000


def test_exif_gives_back_japan_time_with_its_offset():
    tags = read_exif(photo())
    assert str(tags["EXIF DateTimeOriginal"]) == "2026:11:20 12:15:30"
    assert str(tags["EXIF OffsetTimeOriginal"]) == "+09:00"
    assert (str(tags["Image Make"]), str(tags["Image Model"])) == ("Akiya", "DemoCam")


@pytest.mark.parametrize("lat, lon", [TOWN_HALL, (-33.85678, 151.21530), (51.47700, -0.00150)])
def test_exif_gives_back_the_position_to_a_few_centimetres(lat, lon):
    tags = read_exif(photo(lat=lat, lon=lon))
    assert degrees(tags, "Latitude") == pytest.approx(lat, abs=1e-6)
    assert degrees(tags, "Longitude") == pytest.approx(lon, abs=1e-6)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        photo(taken_at=datetime(2026, 11, 20, 12, 0))


def test_without_camera_position_and_time_there_is_no_exif_at_all():
    data = photo(lat=None, lon=None, taken_at=None, camera=None)
    assert read_exif(data) == {}
    assert b"Exif\x00\x00" not in data


def test_a_position_alone_is_still_written():
    tags = read_exif(photo(taken_at=None, camera=None))
    assert degrees(tags, "Latitude") == pytest.approx(TOWN_HALL[0], abs=1e-6)
    assert "EXIF DateTimeOriginal" not in tags


def test_orientation_6_stores_a_portrait_picture_sideways():
    data = photo(orientation=6)
    tags = read_exif(data)
    assert tags["Image Orientation"].values == [6]
    stored = Image.open(io.BytesIO(data))
    upright = ImageOps.exif_transpose(stored)
    assert stored.size == (1600, 1200) and upright.size == (1200, 1600)
    sky, road = upright.getpixel((600, 5)), upright.getpixel((600, 1595))
    assert sky[2] > sky[0] + 30  # blue at the top
    assert abs(road[0] - road[2]) < 30  # grey road at the bottom


def test_demo_visit_photos_are_taken_where_and_when_the_carrier_was():
    visit = demo_history(datetime(2026, 11, 27).date())[0]
    slot = visit.photo_slots[1]
    tags = read_exif(demo_photo(visit, slot))
    assert degrees(tags, "Latitude") == pytest.approx(visit.lat, abs=1e-6)
    taken = datetime.strptime(str(tags["EXIF DateTimeOriginal"]), "%Y:%m:%d %H:%M:%S")
    assert taken == (visit.started_at + timedelta(minutes=1)).replace(tzinfo=None)


def test_the_same_place_before_and_after_mowing_differs_only_in_its_weeds():
    from PIL import ImageChops, ImageStat

    before, after = (Image.open(io.BytesIO(house_photo(42, lat=None, lon=None, taken_at=None, weeds=n))).convert("L")
                     for n in (700, 25))
    difference = ImageChops.difference(before, after)
    assert difference.crop((0, 0, 1600, 900)).getextrema() == (0, 0)  # sky, house, tree: the same scene
    assert ImageStat.Stat(difference.crop((0, 900, 1600, 1100))).mean[0] > 0.5  # the front is mown
