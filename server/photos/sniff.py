"""Recognise what was uploaded from its first bytes, before anything decodes it."""

from server.photos.rejected import PhotoRejected

JPEG_MAGIC = b"\xff\xd8\xff"
SNIFF_BYTES = 32  # enough for every signature below

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"PK\x03\x04", "ZIP"),
)
# ISO base media files say what they are in the `ftyp` box at offset 4.
_FTYP_BRANDS = {
    **dict.fromkeys((b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"), "HEIC/HEIF"),
    **dict.fromkeys((b"avif", b"avis"), "AVIF"),
}


def sent_format(head: bytes) -> str | None:
    """Name of a known non-JPEG format the bytes start with, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "動画（MP4/MOV）")
    return next((name for magic, name in _SIGNATURES if head.startswith(magic)), None)


def sniff_jpeg(head: bytes) -> None:
    """Raise PhotoRejected unless `head` (the first bytes of an upload) starts like a JPEG."""
    if not head:
        raise PhotoRejected.empty()
    if not head.startswith(JPEG_MAGIC):
        raise PhotoRejected.not_jpeg(sent_format(head))
