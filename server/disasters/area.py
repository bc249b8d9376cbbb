"""An event's area: whole municipalities (optionally some districts), or a circle on the map."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from server.core import problems

EARTH_RADIUS_M = 6_371_008.8


class Center(msgspec.Struct, forbid_unknown_fields=True):
    lat: Annotated[float, Meta(ge=-90, le=90)]
    lon: Annotated[float, Meta(ge=-180, le=180)]


class Area(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Either municipality_codes (with optional districts) or center + radius_m."""

    municipality_codes: list[Annotated[str, Meta(pattern=r"^\d{6}$")]] | None = None
    districts: list[Annotated[str, Meta(max_length=100)]] | None = None
    center: Center | None = None
    radius_m: Annotated[float, Meta(gt=0, le=200_000)] | None = None


def check_area(area: Area) -> None:
    by_code = bool(area.municipality_codes)
    by_circle = area.center is not None or area.radius_m is not None
    if by_code == by_circle:
        raise problems.INVALID_AREA("one_of")
    if by_circle and (area.center is None or area.radius_m is None):
        raise problems.INVALID_AREA("circle")


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def contains(area: Area, municipality_code: str, district: str, lat: float | None, lon: float | None) -> bool:
    if area.municipality_codes:
        return municipality_code in area.municipality_codes and (not area.districts or district in area.districts)
    if lat is None or lon is None:
        return False
    return distance_m(area.center.lat, area.center.lon, lat, lon) <= area.radius_m


def area_json(area: Area) -> str:
    """Canonical text: the same area always gives the same string."""
    canonical = msgspec.structs.replace(
        area, municipality_codes=sorted(set(area.municipality_codes)) if area.municipality_codes else None,
        districts=sorted(set(area.districts)) if area.districts else None)
    return msgspec.json.encode(canonical, order="sorted").decode()


def identity(kind: str, occurred_at: datetime, area: Area) -> str:
    """What makes two registrations the same event: kind, moment (to the second, in UTC) and area."""
    return f"{kind}|{int(occurred_at.timestamp())}|{area_json(area)}"
