"""Pictures of houses and the JPEG files phones make of them, generated for tests."""

import io
import random
import struct

from PIL import Image, ImageDraw, ImageFilter

TAKEN = "2025:11:27 10:15:30"  # 令和7年11月27日
TOKYO_STATION = (35.681236, 139.767125)


def house_picture(size: tuple[int, int] = (1600, 1200), seed: int = 1) -> Image.Image:
    """An exterior photo of a house: sky, roof, wall, windows, door, a tree, grain."""
    rng = random.Random(seed)
    w, h = size
    image = Image.new("RGB", size, (rng.randrange(120, 200), rng.randrange(160, 210), 235))
    draw = ImageDraw.Draw(image)
    ground = int(h * rng.uniform(0.65, 0.8))
    draw.rectangle((0, ground, w, h), fill=(rng.randrange(60, 110), rng.randrange(90, 140), 50))
    left, right = int(w * rng.uniform(0.05, 0.3)), int(w * rng.uniform(0.6, 0.9))
    eaves = int(h * rng.uniform(0.3, 0.45))
    draw.rectangle((left, eaves, right, ground), fill=tuple(rng.randrange(140, 230) for _ in range(3)))
    ridge = (rng.randrange(left, right), int(h * rng.uniform(0.08, 0.2)))
    draw.polygon([(left - w // 20, eaves), ridge, (right + w // 20, eaves)], fill=(rng.randrange(40, 120), 50, 50))
    for _ in range(rng.randrange(2, 5)):
        x, y = rng.randrange(left, right - w // 10), rng.randrange(eaves, ground - h // 8)
        draw.rectangle((x, y, x + w // 12, y + h // 10), fill=(60, 80, 100), outline=(250, 250, 250), width=4)
    door = rng.randrange(left, right - w // 12)
    draw.rectangle((door, ground - h // 5, door + w // 14, ground), fill=(90, 60, 30))
    tree = rng.randrange(0, w)
    draw.ellipse((tree - w // 10, ground - h // 3, tree + w // 10, ground), fill=(30, rng.randrange(90, 140), 40))
    grain = Image.merge("RGB", [Image.effect_noise(size, 40)] * 3)
    return Image.blend(image, grain, 0.12).filter(ImageFilter.GaussianBlur(1))


def exif(
    *,
    taken: str | None = TAKEN,
    offset: str | None = "+09:00",
    gps: tuple[float, float] | None = TOKYO_STATION,
    orientation: int | None = None,
    make: str = "Apple",
    model: str = "iPhone 13",
    comment_bytes: int = 0,
    heading: float | None = None,
) -> Image.Exif:
    """EXIF as a phone writes it; comment_bytes adds a UserComment that large (big APP1)."""
    data = Image.Exif()
    data[0x010F], data[0x0110] = make, model
    if orientation is not None:
        data[0x0112] = orientation
    details = data.get_ifd(0x8769)
    if taken is not None:
        details[0x9003] = taken
    if offset is not None:
        details[0x9011] = offset
    if comment_bytes:
        details[0x9286] = b"ASCII\x00\x00\x00" + b"x" * comment_bytes
    if gps is not None:
        position = data.get_ifd(0x8825)
        position[1], position[2] = ("N" if gps[0] >= 0 else "S"), _dms(abs(gps[0]))
        position[3], position[4] = ("E" if gps[1] >= 0 else "W"), _dms(abs(gps[1]))
        if heading is not None:
            position[16], position[17] = "T", heading  # GPSImgDirectionRef, GPSImgDirection
    return data


def _dms(value: float) -> tuple[float, float, float]:
    degrees, rest = divmod(value * 3600, 3600)
    minutes, seconds = divmod(rest, 60)
    return degrees, minutes, round(seconds, 2)


def jpeg(image: Image.Image, exif_data: Image.Exif | None = None, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=options.pop("quality", 90), exif=exif_data or b"", **options)
    return out.getvalue()


def with_zero_gps_denominators(data: bytes) -> bytes:
    """The same JPEG with the latitude's degrees written as n/0 (seen from real phones)."""
    degrees = int(TOKYO_STATION[0])
    fraction = struct.pack(">LL", degrees, 1)
    assert data.count(fraction) == 1
    return data.replace(fraction, struct.pack(">LL", degrees, 0))


def with_broken_ifd_offset(data: bytes) -> bytes:
    """The same JPEG whose EXIF says its first directory lies far beyond the end of the file."""
    header = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08"
    assert data.count(header) == 1
    return data.replace(header, b"Exif\x00\x00MM\x00*\x7f\xff\xff\xf0")


def with_size_in_header(data: bytes, width: int, height: int) -> bytes:
    """The same JPEG claiming another size in its SOF0 header (pixels not changed)."""
    sof = data.index(b"\xff\xc0")
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


def with_app_segment(data: bytes, marker: int, payload: bytes) -> bytes:
    """The same JPEG with one more APPn segment right after SOI."""
    return data[:2] + struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload + data[2:]
