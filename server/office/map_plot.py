"""The office map as SVG: points by status on a Web-Mercator plot, over map tiles when a tile
server is configured (no script, no external library; works with no tile server at all)."""

from __future__ import annotations

import math

import msgspec

WIDTH, HEIGHT, MARGIN = 900, 600, 24
TILE = 256


class Point(msgspec.Struct):
    id: str
    x: float
    y: float
    status: str
    label: str


class Tile(msgspec.Struct):
    href: str
    x: float
    y: float
    size: float


class MapPlot(msgspec.Struct):
    width: int
    height: int
    points: list[Point]
    tiles: list[Tile]


def _world(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates at a zoom level."""
    scale = TILE * 2 ** zoom
    x = (lon + 180) / 360 * scale
    s = math.sin(math.radians(max(min(lat, 85.0511), -85.0511)))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


def plot(houses, tile_url: str | None = None) -> MapPlot:
    placed = [h for h in houses if h.lat is not None and h.lon is not None]
    if not placed:
        return MapPlot(WIDTH, HEIGHT, [], [])
    lats, lons = [h.lat for h in placed], [h.lon for h in placed]
    zoom = 18
    while zoom > 1:  # the largest zoom at which every point fits
        x0, y0 = _world(max(lats), min(lons), zoom)
        x1, y1 = _world(min(lats), max(lons), zoom)
        if x1 - x0 <= WIDTH - 2 * MARGIN and y1 - y0 <= HEIGHT - 2 * MARGIN:
            break
        zoom -= 1
    x0, y0 = _world(max(lats), min(lons), zoom)
    x1, y1 = _world(min(lats), max(lons), zoom)
    left = (x0 + x1) / 2 - WIDTH / 2
    top = (y0 + y1) / 2 - HEIGHT / 2
    points = []
    for h in placed:
        x, y = _world(h.lat, h.lon, zoom)
        points.append(Point(h.id, round(x - left, 1), round(y - top, 1), h.map_status, h.address))
    tiles = []
    if tile_url:
        for tx in range(int(left // TILE), int((left + WIDTH) // TILE) + 1):
            for ty in range(int(top // TILE), int((top + HEIGHT) // TILE) + 1):
                href = tile_url.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
                tiles.append(Tile(href, round(tx * TILE - left, 1), round(ty * TILE - top, 1), TILE))
    return MapPlot(WIDTH, HEIGHT, points, tiles)
