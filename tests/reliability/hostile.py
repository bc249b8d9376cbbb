"""Hostile uploads: what broken phones, wrong apps and attackers send as a 'photo'."""

from __future__ import annotations

import io

from PIL import Image

from tests.photos.photo_factory import (
    exif, house_picture, jpeg, with_app_segment, with_broken_ifd_offset, with_size_in_header,
    with_zero_gps_denominators,
)

APP2 = 0xE2


def _photo(**exif_options) -> bytes:
    return jpeg(house_picture((800, 600), seed=3), exif(**exif_options))


def _other_format(fmt: str) -> bytes:
    out = io.BytesIO()
    house_picture((200, 150)).save(out, fmt)
    return out.getvalue()


def _corrupted_tables(data: bytes) -> bytes:
    """Quantisation and Huffman tables overwritten: the headers parse, the image cannot be decoded."""
    out = bytearray(data)
    for marker in (b"\xff\xdb", b"\xff\xc4"):
        at = data.index(marker) + 4
        out[at:at + 40] = b"\xff" * 40
    return bytes(out)


def _huge_exif() -> bytes:
    """A 64 KB EXIF (UserComment) and 100 more 64 KB APP2 segments before it: ~6.5 MB of headers."""
    data = _photo(comment_bytes=60_000)
    for n in range(100):
        data = with_app_segment(data, APP2, bytes([n % 256]) * 65_000)
    return data


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 4000

# name: (bytes, expected status, expected error code or None when the photo is stored)
HOSTILE = {
    "truncated_jpeg": (lambda: _photo()[: len(_photo()) // 2], 422, "truncated"),
    "corrupted_jpeg_tables": (lambda: _corrupted_tables(_photo()), 422, "undecodable"),
    "exif_with_broken_ifd_offset_is_stored": (lambda: with_broken_ifd_offset(_photo()), 201, None),
    "exif_with_zero_gps_denominators_is_stored": (lambda: with_zero_gps_denominators(_photo()), 201, None),
    "decompression_bomb_header": (lambda: with_size_in_header(_photo(), 60_000, 60_000), 422, "too_many_pixels"),
    "png": (lambda: _other_format("PNG"), 415, "not_jpeg"),
    "gif": (lambda: _other_format("GIF"), 415, "not_jpeg"),
    "heic": (lambda: HEIC, 415, "not_jpeg"),
    "zero_bytes": (lambda: b"", 422, "empty"),
    "huge_exif_block_is_stored": (_huge_exif, 201, None),
}


def real_pixel_bomb() -> bytes:
    """A genuine 9000×6000 (54 MP) JPEG of one colour: small on the wire, 162 MB decoded."""
    out = io.BytesIO()
    Image.new("RGB", (9000, 6000), (120, 120, 120)).save(out, "JPEG", quality=50)
    return out.getvalue()
