from datetime import datetime, timedelta, timezone

import msgspec
import pytest

from server.photos import PhotoFacts, distance_m, evidence_flags

JST = timezone(timedelta(hours=9))
STARTED = datetime(2025, 11, 27, 10, 0, tzinfo=JST)
FINISHED = datetime(2025, 11, 27, 10, 20, tzinfo=JST)
HOUSE = (35.681236, 139.767125)
METRES_PER_DEGREE_LAT = distance_m(35.0, 139.0, 36.0, 139.0)
HASH = "c2383e6d656d4812"


def facts(*, taken_at=STARTED + timedelta(minutes=5), position=HOUSE, phash=HASH) -> PhotoFacts:
    lat, lon = position if position else (None, None)
    return PhotoFacts(1600, 1200, taken_at, False, lat, lon, 1, "Apple iPhone 13", phash)


def flags(photo: PhotoFacts, **overrides) -> list[str]:
    checks = dict(
        started_at=STARTED,
        finished_at=FINISHED,
        tolerance=timedelta(minutes=10),
        property_lat=HOUSE[0],
        property_lon=HOUSE[1],
        max_distance_m=100.0,
    )
    return evidence_flags(photo, **(checks | overrides))


def north_of_house(metres: float) -> tuple[float, float]:
    return HOUSE[0] + metres / METRES_PER_DEGREE_LAT, HOUSE[1]


def test_photo_taken_at_the_house_during_the_visit_has_no_flags():
    assert flags(facts()) == []


def test_photo_without_capture_time_is_flagged():
    assert flags(facts(taken_at=None)) == ["no_capture_time"]


@pytest.mark.parametrize(
    ("taken_at", "expected"),
    [
        (STARTED - timedelta(minutes=10), []),
        (STARTED - timedelta(minutes=10, seconds=1), ["outside_visit_window"]),
        (FINISHED + timedelta(minutes=10), []),
        (FINISHED + timedelta(minutes=10, seconds=1), ["outside_visit_window"]),
        (STARTED - timedelta(days=31), ["outside_visit_window"]),
    ],
)
def test_capture_time_is_checked_against_the_visit_window_with_tolerance(taken_at, expected):
    assert flags(facts(taken_at=taken_at)) == expected


def test_window_compares_instants_not_wall_clock_times():
    same_instant_in_utc = (STARTED + timedelta(minutes=5)).astimezone(timezone.utc)
    assert flags(facts(taken_at=same_instant_in_utc)) == []


def test_photo_without_gps_and_without_device_position_is_flagged():
    assert flags(facts(position=None)) == ["no_gps"]


def test_device_position_stands_in_for_missing_exif_gps():
    assert flags(facts(position=None), device_lat=HOUSE[0], device_lon=HOUSE[1]) == []
    far_device = north_of_house(500)
    assert flags(facts(position=None), device_lat=far_device[0], device_lon=far_device[1]) == ["far_from_property"]


def test_exif_gps_wins_over_device_position():
    far_device = north_of_house(5_000)
    assert flags(facts(), device_lat=far_device[0], device_lon=far_device[1]) == []


@pytest.mark.parametrize(("metres", "expected"), [(99.0, []), (101.0, ["far_from_property"])])
def test_distance_to_the_property_is_checked_just_inside_and_outside(metres, expected):
    assert flags(facts(position=north_of_house(metres))) == expected


def test_property_without_position_cannot_be_far():
    assert flags(facts(position=north_of_house(5_000)), property_lat=None, property_lon=None) == []


@pytest.mark.parametrize(("differing_bits", "expected"), [(6, ["reused_photo"]), (7, [])])
def test_photo_close_to_an_earlier_hash_is_flagged_as_reused(differing_bits, expected):
    earlier = f"{int(HASH, 16) ^ ((1 << differing_bits) - 1):016x}"
    assert flags(facts(), earlier_hashes=["0123456789abcdef", earlier]) == expected


def test_every_flag_at_once_comes_in_a_fixed_order():
    assert flags(facts(taken_at=None, position=None), earlier_hashes=iter([HASH])) == [
        "no_capture_time",
        "no_gps",
        "reused_photo",
    ]
    assert flags(facts(taken_at=FINISHED + timedelta(hours=1), position=north_of_house(300)), earlier_hashes=[HASH]) == [
        "outside_visit_window",
        "far_from_property",
        "reused_photo",
    ]


def test_distance_between_tokyo_and_osaka_stations_is_about_403_km():
    assert distance_m(35.681236, 139.767125, 34.702485, 135.495951) == pytest.approx(403_000, rel=0.005)


def test_one_degree_of_latitude_is_about_111_km():
    assert METRES_PER_DEGREE_LAT == pytest.approx(111_195, rel=0.001)


@pytest.mark.parametrize("half", ["lat_only", "lon_only"])
def test_half_a_gps_position_is_no_position_and_the_device_position_takes_its_place(half):
    lat, lon = north_of_house(5_000)
    photo = msgspec.structs.replace(facts(), lat=lat if half == "lat_only" else None, lon=lon if half == "lon_only" else None)
    assert flags(photo) == ["no_gps"]
    assert flags(photo, device_lat=HOUSE[0], device_lon=HOUSE[1]) == []
    far_device = north_of_house(500)
    assert flags(photo, device_lat=far_device[0], device_lon=far_device[1]) == ["far_from_property"]


@pytest.mark.parametrize("half", ["lat_only", "lon_only"])
def test_half_a_device_position_is_no_position(half):
    device = dict(device_lat=HOUSE[0], device_lon=None) if half == "lat_only" else dict(device_lat=None, device_lon=HOUSE[1])
    assert flags(facts(position=None), **device) == ["no_gps"]


def test_a_photo_exactly_at_the_maximum_distance_is_not_far():
    position = north_of_house(100)
    exactly = distance_m(*position, *HOUSE)
    assert flags(facts(position=position), max_distance_m=exactly) == []
    assert flags(facts(position=position), max_distance_m=exactly - 1e-6) == ["far_from_property"]


def test_a_photo_at_exactly_the_window_edges_is_inside():
    assert flags(facts(taken_at=STARTED - timedelta(minutes=10))) == []
    assert flags(facts(taken_at=FINISHED + timedelta(minutes=10))) == []
    assert flags(facts(taken_at=FINISHED + timedelta(minutes=10, microseconds=1))) == ["outside_visit_window"]


@pytest.mark.parametrize("missing", ["property_lat", "property_lon"])
def test_a_property_with_half_a_position_cannot_be_far(missing):
    assert flags(facts(position=north_of_house(5_000)), **{missing: None}) == []
