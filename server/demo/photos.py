"""Deterministic house-exterior JPEGs with camera EXIF, for the demo and for tests.

`house_photo(seed, ...)` draws a plausible 空き家 seen from the road (sky, ground, house,
roof, windows, door, a tree, a fence, weeds, sometimes a 売物件 sign) and writes the EXIF a
phone would: Make, Model, DateTimeOriginal with OffsetTimeOriginal, GPS. The same
arguments give the same bytes on the same Pillow build.
"""

import functools
import io
import random
from datetime import datetime, timedelta, timezone
from fractions import Fraction

from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

JST = timezone(timedelta(hours=9), "JST")

# EXIF tag numbers (Pillow's ExifTags names them too; numbers keep this file readable).
_MAKE, _MODEL, _ORIENTATION, _DATETIME = 0x010F, 0x0110, 0x0112, 0x0132
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _OFFSET_TIME_ORIGINAL = 0x9003, 0x9011
_GPS_VERSION, _GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON, _GPS_DATUM = 0, 1, 2, 3, 4, 18

# Transpose that turns an upright picture into what a camera stores under each
# Orientation value (the inverse of what a viewer applies).
_STORE_AS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}

_GRAIN_LEVELS = bytes(i * 32 // 256 for i in range(256))
_WALLS = [(226, 218, 196), (196, 184, 160), (170, 160, 150), (214, 206, 190), (150, 120, 96), (232, 228, 220)]
_ROOFS = [(70, 74, 82), (120, 60, 48), (60, 80, 100), (96, 90, 80), (140, 110, 70)]
_SKIES = [((110, 160, 220), (200, 225, 245)), ((150, 165, 185), (215, 220, 225)), ((90, 140, 210), (235, 215, 190))]


def house_photo(
    seed: int,
    *,
    lat: float | None,
    lon: float | None,
    taken_at: datetime | None,
    size: tuple[int, int] = (1600, 1200),
    orientation: int = 1,
    camera: tuple[str, str] | None = ("Akiya", "DemoCam"),
    quality: int = 85,
    weeds: int | None = None,
) -> bytes:
    """JPEG bytes of a house exterior. `size` is the stored pixel size; with orientation
    5–8 the scene is drawn portrait and stored sideways, as a phone held upright does.
    `taken_at` must be timezone-aware; it is written as Japan time with +09:00.
    With no camera, position, time or orientation the file has no EXIF segment at all.
    `weeds`: this many weeds in front instead of the seed's own count, the rest of the scene unchanged (the
    same place before and after 草刈)."""
    if taken_at is not None and taken_at.utcoffset() is None:
        raise ValueError("taken_at must be timezone-aware")
    if not 1 <= orientation <= 8:
        raise ValueError("orientation must be 1..8")
    width, height = size
    upright = (height, width) if orientation >= 5 else (width, height)
    picture = _scene(seed, upright, weeds)
    if orientation != 1:
        picture = picture.transpose(_STORE_AS[orientation])
    exif = _exif(lat=lat, lon=lon, taken_at=taken_at, orientation=orientation, camera=camera)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


# Small scenes are kept: the tests draw the same few seeds at phone-upload size thousands of times, and
# drawing is 4/5 of a photo's cost. A kept scene is never changed (transpose and save make new images).
_KEPT_PIXELS = 640 * 480


def _scene(seed: int, size: tuple[int, int], weeds: int | None) -> Image.Image:
    if size[0] * size[1] <= _KEPT_PIXELS:
        return _kept_scene(seed, size, weeds)
    return _draw_house(random.Random(seed), size, weeds)


@functools.lru_cache(maxsize=64)  # at most ~60 MB
def _kept_scene(seed: int, size: tuple[int, int], weeds: int | None) -> Image.Image:
    return _draw_house(random.Random(seed), size, weeds)


def _draw_house(rng: random.Random, size: tuple[int, int], weeds: int | None = None) -> Image.Image:
    w, h = size
    horizon = int(h * rng.uniform(0.55, 0.68))
    picture = Image.new("RGB", size, (118, 112, 92))
    d = ImageDraw.Draw(picture)
    top, bottom = rng.choice(_SKIES)
    for y in range(horizon):  # sky gradient, one line per row
        t = y / horizon
        d.line((0, y, w, y), fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    # The road in front and the verge.
    d.rectangle((0, int(h * 0.86), w, h), fill=(96, 96, 100))
    d.rectangle((0, horizon, w, horizon + int(h * 0.05)), fill=(84, 110, 60))
    # Distant hills.
    step = max(1, w // 8)
    ridge = [(x, horizon - rng.randint(h // 100, h // 7)) for x in range(0, w + step, step)]
    d.polygon([(0, horizon), *ridge, (w, horizon)], fill=(92, 120, 100))

    # House body.
    house_w = int(w * rng.uniform(0.42, 0.58))
    house_h = int(h * rng.uniform(0.26, 0.36))
    left = int(w * rng.uniform(0.12, 0.40))
    base = int(h * rng.uniform(0.78, 0.84))
    right, roof_line = left + house_w, base - house_h
    wall = rng.choice(_WALLS)
    d.rectangle((left, roof_line, right, base), fill=wall)
    siding = tuple(max(0, c - 24) for c in wall)
    for y in range(roof_line + 6, base, rng.choice((10, 14, 18))):
        d.line((left, y, right, y), fill=siding, width=1)
    d.rectangle((left - 6, base - 10, right + 6, base + 8), fill=(150, 150, 146))  # foundation

    _draw_roof(picture, rng, left, right, roof_line, house_w)
    _draw_windows(d, rng, left, right, roof_line, base)
    _draw_surroundings(d, rng, w, h, left, right, base, weeds)
    return _add_grain(picture, rng)


def _draw_roof(picture: Image.Image, rng: random.Random, left: int, right: int, line: int, width: int) -> None:
    colour = rng.choice(_ROOFS)
    eave = int(width * 0.06)
    rise = int(width * rng.uniform(0.18, 0.32))
    x0, y0, x1 = left - eave, line - rise, right + eave
    shape = rng.choice(("gable", "hip", "shed"))
    if shape == "gable":
        outline = [(x0, line), ((x0 + x1) // 2, y0), (x1, line)]
    elif shape == "hip":
        outline = [(x0, line), (left + width // 4, y0), (right - width // 4, y0), (x1, line)]
    else:
        outline = [(x0, line), (x0, y0 + rise // 2), (x1, line - rise // 5), (x1, line)]
    # Tiled roof drawn in its bounding box, pasted through the roof's outline.
    tiles = Image.new("RGB", (x1 - x0 + 1, rise + 1), colour)
    tile_lines = ImageDraw.Draw(tiles)
    for y in range(0, rise, 9):
        tile_lines.line((0, y, x1 - x0, y), fill=tuple(min(255, c + 18) for c in colour), width=2)
    mask = Image.new("L", tiles.size)
    ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in outline], fill=255)
    picture.paste(tiles, (x0, y0), mask)
    ImageDraw.Draw(picture).line(outline, fill=tuple(max(0, c - 30) for c in colour), width=5)


def _draw_windows(d: ImageDraw.ImageDraw, rng: random.Random, left: int, right: int, top: int, base: int) -> None:
    width, height = right - left, base - top
    shutters_closed = rng.random() < 0.5
    count = rng.randint(2, 4)
    win_w, win_h = width // (count * 2 + 1), int(height * 0.32)
    for i in range(count):
        x = left + win_w * (2 * i + 1)
        y = top + int(height * 0.18)
        glass = (150, 140, 120) if shutters_closed else (60, 80, 100)
        d.rectangle((x, y, x + win_w, y + win_h), fill=glass, outline=(50, 45, 40), width=4)
        if shutters_closed:  # 雨戸: closed shutters are a vacancy indicator
            for sy in range(y + 6, y + win_h, 8):
                d.line((x + 4, sy, x + win_w - 4, sy), fill=(110, 104, 90), width=2)
        else:
            d.line((x + win_w // 2, y, x + win_w // 2, y + win_h), fill=(50, 45, 40), width=3)
        if rng.random() < 0.2:  # a cracked pane
            d.line((x + 5, y + 5, x + win_w - 10, y + win_h - 8), fill=(220, 220, 220), width=2)
    door_w = max(2, width // 8)
    door_x = left + rng.randint(width // 5, width - width // 5 - door_w)
    door_top, knob_y = base - int(height * 0.5), base - int(height * 0.25)
    d.rectangle((door_x, door_top, door_x + door_w, base), fill=(92, 70, 52), outline=(40, 30, 20), width=4)
    d.ellipse((door_x + door_w - 16, knob_y, door_x + door_w - 8, knob_y + 8), fill=(200, 180, 80))


def _draw_surroundings(
    d: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int, left: int, right: int, base: int,
    weeds: int | None = None,
) -> None:
    # A tree beside the house.
    tx = rng.choice((left - int(w * 0.08), right + int(w * 0.08)))
    d.rectangle((tx - 10, base - int(h * 0.25), tx + 10, base), fill=(90, 64, 40))
    green = (rng.randint(40, 80), rng.randint(90, 130), rng.randint(40, 70))
    for _ in range(7):
        r = rng.randint(h // 16, h // 9)
        cx, cy = tx + rng.randint(-r, r), base - int(h * 0.28) + rng.randint(-r, r // 2)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=green)
    # Block wall or wooden fence along the road.
    fence_top = base + int(h * 0.01)
    if rng.random() < 0.5:
        d.rectangle((0, fence_top, w, fence_top + int(h * 0.05)), fill=(170, 168, 160))
        for x in range(0, w, 60):
            d.line((x, fence_top, x, fence_top + int(h * 0.05)), fill=(140, 138, 130), width=2)
    else:
        for x in range(0, w, 28):
            d.rectangle((x, fence_top - int(h * 0.03), x + 14, fence_top + int(h * 0.05)), fill=(130, 100, 70))
    # Weeds: a few or a lot (or `weeds`, drawn from a copy of the generator so the rest stays the same).
    count = rng.choice((80, 250, 700))
    if weeds is not None:
        copy = random.Random()
        copy.setstate(rng.getstate())
        _draw_weeds(d, copy, weeds, w, h, base)
    _draw_weeds(d if weeds is None else None, rng, count, w, h, base)
    if rng.random() < 0.3:  # 売物件 sign on a post (red band on white)
        sx = rng.randint(int(w * 0.05), int(w * 0.8))
        sy = int(h * 0.68)
        d.rectangle((sx + 50, sy, sx + 60, sy + int(h * 0.2)), fill=(120, 120, 120))
        d.rectangle((sx, sy - 80, sx + 110, sy), fill=(245, 245, 240), outline=(60, 60, 60), width=3)
        d.rectangle((sx, sy - 80, sx + 110, sy - 55), fill=(200, 30, 30))


def _draw_weeds(d: ImageDraw.ImageDraw | None, rng: random.Random, count: int, w: int, h: int, base: int) -> None:
    """`count` weeds along the front; with no drawing, only the generator moves on as if they were drawn."""
    for _ in range(count):
        x, y = rng.randrange(w), rng.randint(base, int(h * 0.88))
        weed = (rng.randint(50, 110), rng.randint(110, 160), 50)
        tip = (x + rng.randint(-6, 6), y - rng.randint(8, 40))
        if d is not None:
            d.line((x, y, *tip), fill=weed, width=2)


def _add_grain(picture: Image.Image, rng: random.Random) -> Image.Image:
    """Sensor-like grain so the JPEG has a camera's size, not a drawing's."""
    w, h = picture.size
    grain = Image.frombytes("L", (w, h), rng.randbytes(w * h).translate(_GRAIN_LEVELS))
    picture.paste((128, 128, 128), mask=grain)
    return picture


def _exif(
    *, lat: float | None, lon: float | None, taken_at: datetime | None, orientation: int,
    camera: tuple[str, str] | None,
) -> Image.Exif | None:
    if camera is None and taken_at is None and lat is None and orientation == 1:
        return None
    exif = Image.Exif()
    if camera is not None:
        exif[_MAKE], exif[_MODEL] = camera
    if orientation != 1:
        exif[_ORIENTATION] = orientation
    if taken_at is not None:
        stamp = taken_at.astimezone(JST).strftime("%Y:%m:%d %H:%M:%S")
        exif[_DATETIME] = stamp
        exif.get_ifd(_EXIF_IFD).update({_DATETIME_ORIGINAL: stamp, _OFFSET_TIME_ORIGINAL: "+09:00"})
    if lat is not None and lon is not None:
        exif.get_ifd(_GPS_IFD).update(
            {
                _GPS_VERSION: b"\x02\x03\x00\x00",
                _GPS_LAT_REF: "N" if lat >= 0 else "S",
                _GPS_LAT: _degrees_minutes_seconds(abs(lat)),
                _GPS_LON_REF: "E" if lon >= 0 else "W",
                _GPS_LON: _degrees_minutes_seconds(abs(lon)),
                _GPS_DATUM: "WGS-84",
            }
        )
    return exif


def _degrees_minutes_seconds(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Degrees as the three rationals EXIF wants; seconds to 1/1000 (about 3 cm)."""
    milliseconds = round(Fraction(value) * 3600 * 1000)
    degrees, rest = divmod(milliseconds, 3600 * 1000)
    minutes, seconds = divmod(rest, 60 * 1000)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 1000)
