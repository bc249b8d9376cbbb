"""Turn an uploaded original into checked facts and two upright, metadata-free derivatives.

Report size: long edge 800 px. Reports print photos 60–85 mm wide on A4: 800 px there is
240–340 dpi, as sharp as an office printer shows a photo, and keeps an owner's monthly PDF
with 8 photos near 500 KB for e-mail. The phone sends ~1600×1200, which JPEG DCT scaling
(draft) decodes straight to 800×600 at a quarter of the full decode's cost. An upload already
no larger than the report size and upright is copied losslessly with its metadata dropped.
Larger or rotated photos are decoded with draft to the nearest size ≥ the target, resized,
turned upright and re-encoded.
"""

from datetime import datetime
from pathlib import Path

import msgspec
from PIL import Image

from server.photos.derivatives import dhash, fit, upright, upright_size, write_atomically
from server.photos.exif import HEADER_BYTES, exif_facts
from server.photos.jpeg_segments import frame_size, strip_metadata
from server.photos.rejected import PhotoRejected
from server.photos.sniff import SNIFF_BYTES, sniff_jpeg

REPORT_LONG_EDGE = 800  # 250 dpi at 8 cm: sharp on an A4 sheet; 8 photos keep an owner PDF near 500 KB
REPORT_QUALITY = 82
THUMB_LONG_EDGE = 320
THUMB_QUALITY = 80
MAX_PIXELS = 50_000_000  # 48 MP phone sensors (8064×6048) pass; a decoded image never exceeds ~2000×1500


class PhotoFacts(msgspec.Struct, frozen=True):
    width: int  # of the original, upright
    height: int
    taken_at: datetime | None  # aware
    offset_assumed: bool  # no OffsetTimeOriginal: +09:00 assumed
    lat: float | None
    lon: float | None
    orientation: int | None
    camera: str | None  # "Make Model"
    phash: str  # 64-bit dHash of the upright picture, 16 hex digits
    heading: float | None = None  # compass degrees the camera faced (EXIF GPSImgDirection)


def ingest(original: Path, report_path: Path, thumb_path: Path, *, max_pixels: int = MAX_PIXELS) -> PhotoFacts:
    """Check that `original` is a whole JPEG of acceptable size, write its derivatives, return its facts.

    Raises PhotoRejected; writes nothing then. At most one decoded image is held at a time.
    """
    original, report_path, thumb_path = Path(original), Path(report_path), Path(thumb_path)
    with open(original, "rb") as f:
        head = f.read(HEADER_BYTES)
    sniff_jpeg(head[:SNIFF_BYTES])
    exif = exif_facts(head)
    orientation = exif.orientation or 1
    with _open_jpeg(original, frame_size(head), max_pixels) as source:
        size = source.size
        icc_profile = source.info.get("icc_profile")
        report_bytes = _stripped_copy(original) if orientation == 1 and max(size) <= REPORT_LONG_EDGE else None
        copy_losslessly = report_bytes is not None
        target = fit(size, THUMB_LONG_EDGE if copy_losslessly else REPORT_LONG_EDGE)
        image = _decode(source, target)
    if report_bytes is not None:
        write_atomically(report_path, lambda f: f.write(report_bytes))
    else:
        # Bilinear: after DCT scaling the remaining reduction is below 2×, where Pillow's
        # (antialiasing) bilinear is as sharp in print as bicubic and 1.5× faster.
        image = upright(_resize(image, target, Image.Resampling.BILINEAR), orientation)
        write_atomically(report_path, lambda f: image.save(f, "JPEG", quality=REPORT_QUALITY, icc_profile=icc_profile))
    thumb_size = fit(image.size, THUMB_LONG_EDGE)
    image = upright(_resize(image, thumb_size, Image.Resampling.BICUBIC), orientation if copy_losslessly else 1)
    write_atomically(thumb_path, lambda f: image.save(f, "JPEG", quality=THUMB_QUALITY, icc_profile=icc_profile))
    width, height = upright_size(size, orientation)
    return PhotoFacts(
        width, height, exif.taken_at, exif.offset_assumed, exif.lat, exif.lon, exif.orientation, exif.camera,
        phash=dhash(image), heading=exif.heading,
    )


def _open_jpeg(path: Path, header_size: tuple[int, int] | None, max_pixels: int) -> Image.Image:
    """Open lazily (header only), refusing decompression bombs before any pixel is decoded.

    The limit never exceeds Image.MAX_IMAGE_PIXELS and the size is checked from our own
    header parse first, so Pillow's DecompressionBombWarning cannot pass as a mere warning;
    no warnings filter is touched (filters are process-wide, ingest runs in threads).
    """
    limit = min(max_pixels, Image.MAX_IMAGE_PIXELS)
    if header_size is not None and header_size[0] * header_size[1] > limit:
        raise PhotoRejected.too_many_pixels(limit, header_size)
    try:
        image = Image.open(path, formats=["JPEG"])
    except Image.DecompressionBombError:
        raise PhotoRejected.too_many_pixels(limit) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoRejected.undecodable() from None
    if image.width * image.height > limit:
        image.close()
        raise PhotoRejected.too_many_pixels(limit, image.size)
    return image


def _decode(source: Image.Image, at_least: tuple[int, int]) -> Image.Image:
    """Decode the whole JPEG stream, letting libjpeg scale by 1/2, 1/4 or 1/8 while staying >= at_least."""
    source.draft("RGB", at_least)
    try:
        source.load()
    except OSError as error:
        raise (PhotoRejected.truncated() if "truncated" in str(error) else PhotoRejected.undecodable()) from None
    return source if source.mode in ("RGB", "L") else source.convert("RGB")


def _resize(image: Image.Image, size: tuple[int, int], resample: Image.Resampling) -> Image.Image:
    """Resize, first by the whole factor with a box-filter reduce (fast; 1600 → 320 is reduce(5) alone)."""
    if image.size == size:
        return image
    return image.resize(size, resample, reducing_gap=1.0)


def _stripped_copy(original: Path) -> bytes | None:
    try:
        return strip_metadata(original.read_bytes())
    except ValueError:  # a structure the stripper does not follow: re-encode instead
        return None
