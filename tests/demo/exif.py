"""Reading photos back the way the server does: exifread, details off."""

import io

import exifread


def read_exif(data: bytes) -> dict:
    return exifread.process_file(io.BytesIO(data), details=False, extract_thumbnail=False)


def degrees(tags: dict, axis: str) -> float:
    """GPSLatitude / GPSLongitude as signed decimal degrees."""
    d, m, s = (float(r.num) / r.den for r in tags[f"GPS GPS{axis}"].values)
    sign = -1 if str(tags[f"GPS GPS{axis}Ref"]) in ("S", "W") else 1
    return sign * (d + m / 60 + s / 3600)
