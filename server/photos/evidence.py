"""Evidence checks on a photo's facts. They inform a reviewer; they never reject a photo."""

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from server.photos.ingest import PhotoFacts

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def evidence_flags(
    facts: PhotoFacts,
    *,
    started_at: datetime,
    finished_at: datetime,
    tolerance: timedelta,
    property_lat: float | None,
    property_lon: float | None,
    max_distance_m: float,
    device_lat: float | None = None,
    device_lon: float | None = None,
    earlier_hashes: Iterable[str] = (),
    reuse_threshold: int = 6,
) -> list[str]:
    """Codes, in this order: no_capture_time | outside_visit_window, no_gps | far_from_property, reused_photo.

    The window is [started_at - tolerance, finished_at + tolerance], ends included. Position is
    the photo's EXIF GPS, else the device position recorded at capture; a distance exactly
    max_distance_m is not far. A hash within reuse_threshold bits of an earlier one is a reuse.
    """
    flags = []
    if facts.taken_at is None:
        flags.append("no_capture_time")
    elif not started_at - tolerance <= facts.taken_at <= finished_at + tolerance:
        flags.append("outside_visit_window")

    if facts.lat is not None and facts.lon is not None:
        position = (facts.lat, facts.lon)
    elif device_lat is not None and device_lon is not None:
        position = (device_lat, device_lon)
    else:
        position = None
    if position is None:
        flags.append("no_gps")
    elif property_lat is not None and property_lon is not None:
        if distance_m(*position, property_lat, property_lon) > max_distance_m:
            flags.append("far_from_property")

    if any(hamming(facts.phash, earlier) <= reuse_threshold for earlier in earlier_hashes):
        flags.append("reused_photo")
    return flags
