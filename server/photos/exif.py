"""What a photo's EXIF says: capture time, position, orientation, camera, compass heading.

EXIF comes from phones and is often odd (zero denominators, truncated headers, broken
offsets). Nothing here raises: whatever cannot be read counts as absent.
"""

import io
import logging
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import exifread
import msgspec

from server.photos.jpeg_segments import exif_block

JAPAN_STANDARD_TIME = timezone(timedelta(hours=9))
HEADER_BYTES = 1 << 20  # EXIF must start within the first MiB (it is normally within the first KB)
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")

logging.getLogger("exifread").disabled = True  # it logs every odd tag as a warning


class ExifFacts(msgspec.Struct, frozen=True):
    taken_at: datetime | None = None  # aware
    offset_assumed: bool = False  # True when taken_at had no OffsetTimeOriginal and +09:00 was assumed
    lat: float | None = None
    lon: float | None = None
    orientation: int | None = None  # 1..8 as in EXIF
    camera: str | None = None  # "Make Model"
    heading: float | None = None  # GPSImgDirection: degrees clockwise from north the camera faced, 0 <= h < 360


def read_exif(path: Path) -> ExifFacts:
    """EXIF facts of a JPEG file; empty facts when the EXIF cannot be read at all.

    The EXIF block is located by walking the JPEG segments: exifread alone looks only ~4 KB
    past its first segment and misses EXIF behind a large XMP or ICC segment.
    """
    with open(path, "rb") as f:
        return exif_facts(f.read(HEADER_BYTES))


def exif_facts(head: bytes) -> ExifFacts:
    """EXIF facts from the first bytes of a JPEG (HEADER_BYTES of them are enough)."""
    try:
        block = exif_block(head)
        if block is None:
            return ExifFacts()
        tags = exifread.process_file(io.BytesIO(block), details=False, extract_thumbnail=False)
        taken_at, offset_assumed = _taken_at(tags)
        lat, lon = _position(tags)
        return ExifFacts(taken_at, offset_assumed, lat, lon, _orientation(tags), _camera(tags), _heading(tags))
    except Exception:  # exifread fails in many ways on real-world files; no EXIF then
        return ExifFacts()


def _text(tags: dict, name: str) -> str | None:
    tag = tags.get(name)
    text = str(tag.values).strip("\x00 ") if tag is not None else ""
    return text or None


def _taken_at(tags: dict) -> tuple[datetime | None, bool]:
    text = _text(tags, "EXIF DateTimeOriginal")
    try:
        local = datetime.strptime(text or "", "%Y:%m:%d %H:%M:%S")
    except ValueError:  # missing, blank or "0000:00:00 00:00:00"
        return None, False
    match = _OFFSET.match(_text(tags, "EXIF OffsetTimeOriginal") or "")
    if match is None:
        return local.replace(tzinfo=JAPAN_STANDARD_TIME), True
    sign = -1 if match[1] == "-" else 1
    offset = timedelta(hours=int(match[2]), minutes=int(match[3])) * sign
    return local.replace(tzinfo=timezone(offset)), False


def _position(tags: dict) -> tuple[float | None, float | None]:
    try:
        lat = _degrees(tags["GPS GPSLatitude"].values, _text(tags, "GPS GPSLatitudeRef"), "S")
        lon = _degrees(tags["GPS GPSLongitude"].values, _text(tags, "GPS GPSLongitudeRef"), "W")
    except (KeyError, IndexError, ValueError, TypeError, ZeroDivisionError):
        return None, None
    if abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):  # (0, 0): a receiver with no fix
        return None, None
    return lat, lon


def _degrees(dms: list, ref: str | None, negative_ref: str) -> float:
    degrees, minutes, seconds = (float(value) for value in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if ref == negative_ref else value


def _orientation(tags: dict) -> int | None:
    tag = tags.get("Image Orientation")
    value = tag.values[0] if tag is not None and tag.values else None
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _heading(tags: dict) -> float | None:
    """The phone's compass when the photo was taken (GPSImgDirection; true or magnetic north,
    a few degrees apart in Japan, which no reader of "北東向き" can tell)."""
    try:
        value = float(tags["GPS GPSImgDirection"].values[0])
    except (KeyError, IndexError, ValueError, TypeError, ZeroDivisionError):
        return None
    return value % 360 if 0 <= value <= 360 else None


def _camera(tags: dict) -> str | None:
    make, model = _text(tags, "Image Make"), _text(tags, "Image Model")
    if make and model and model.lower().startswith(make.lower()):  # "Canon" + "Canon EOS R6"
        return model
    return " ".join(part for part in (make, model) if part) or None
