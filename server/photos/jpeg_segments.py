"""Walk a JPEG's segments: copy it without metadata (losslessly), find its EXIF block and size.

Kept by the copy: the JFIF header, an ICC colour profile and the Adobe colour-transform
segment (they change how pixels look), and all image data byte for byte. Dropped: EXIF (GPS,
time, camera), XMP, MPF, comments, every other APPn segment, and whatever follows the first
EOI (iPhone gain maps, motion-photo videos).
"""

from collections.abc import Iterator

SOI, EOI, SOS, APP1 = 0xD8, 0xD9, 0xDA, 0xE1
EXIF_HEADER = b"Exif\x00\x00"
_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOF0..SOF15, not DHT/JPG/DAC
_KEPT_APP = {0xE0: b"JFIF\x00", 0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}


def strip_metadata(data: bytes) -> bytes:
    """The same JPEG with metadata segments removed. ValueError when its structure is not understood."""
    return b"".join(
        data[start:end] for marker, start, payload, end in _segments(data) if _is_kept(marker, data[payload:end])
    )


def exif_block(data: bytes) -> bytes | None:
    """The TIFF structure inside the first EXIF APP1 segment, wherever it sits among the headers."""
    for marker, _start, payload, end in _segments(data):
        if marker == SOS:
            return None
        if marker == APP1 and data[payload : payload + 6] == EXIF_HEADER:
            return data[payload + 6 : end]
    return None


def frame_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the frame header, or None when the headers are not understood."""
    try:
        for marker, _start, payload, end in _segments(data):
            if marker in _FRAME_MARKERS and end - payload >= 6:  # precision, height, width, ...
                height, width = (int.from_bytes(data[i : i + 2], "big") for i in (payload + 1, payload + 3))
                return width, height
            if marker == SOS:
                return None
    except ValueError:
        return None
    return None


def _segments(data: bytes) -> Iterator[tuple[int, int, int, int]]:
    """(marker, start, payload start, end) of each segment; a scan's end includes its entropy-coded data."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("no SOI marker")
    yield SOI, 0, 2, 2
    i = 2
    try:
        while True:
            if data[i] != 0xFF:
                raise ValueError(f"marker expected at byte {i}")
            while data[i + 1] == 0xFF:  # fill bytes may precede a marker
                i += 1
            start, marker = i, data[i + 1]
            if marker == EOI:
                yield EOI, start, start + 2, start + 2
                return
            end = start + 2 + int.from_bytes(data[start + 2 : start + 4], "big")
            if end > len(data):
                raise ValueError("segment runs past the end")
            if marker == SOS:
                end = _end_of_scan(data, end)
            yield marker, start, start + 4, end
            i = end
    except IndexError:
        raise ValueError("JPEG ends before its EOI marker") from None


def _is_kept(marker: int, payload: bytes) -> bool:
    if 0xE0 <= marker <= 0xEF:
        kept = _KEPT_APP.get(marker)
        return kept is not None and payload.startswith(kept)
    return marker != 0xFE  # COM


def _end_of_scan(data: bytes, i: int) -> int:
    """Index of the marker ending the entropy-coded data that starts at i."""
    while True:
        i = data.index(b"\xff", i)
        following = data[i + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte or restart marker
            i += 2
        elif following == 0xFF:  # fill byte before a marker
            i += 1
        else:
            return i
