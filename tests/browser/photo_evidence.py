"""What the server stored for a photo, read back the way the server reads it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from PIL import Image

from tests.browser.live_server import SAMPLE_PHOTOS
from tests.demo.exif import degrees, read_exif

MANIFEST = {entry["file"]: entry for entry in json.loads((SAMPLE_PHOTOS / "manifest.json").read_text())}


def stored_original(data_dir: Path, photo_id: str) -> Path:
    return data_dir / "photos" / "original" / photo_id[:2] / f"{photo_id}.jpg"


def evidence(path: Path) -> dict:
    data = path.read_bytes()
    tags = read_exif(data)
    with Image.open(path) as image:
        size = image.size
    taken = str(tags["EXIF DateTimeOriginal"])
    return {
        "taken_at": datetime.strptime(taken, "%Y:%m:%d %H:%M:%S").isoformat() + str(tags["EXIF OffsetTimeOriginal"]),
        "lat": degrees(tags, "Latitude"), "lon": degrees(tags, "Longitude"),
        "orientation": tags["Image Orientation"].values[0] if "Image Orientation" in tags else None,
        "size": size, "bytes": len(data),
    }


def capture_facts(path: Path) -> dict:
    """Capture time and GPS position, the facts that must survive the phone's shrinking."""
    found = evidence(path)
    return {key: found[key] for key in ("taken_at", "lat", "lon")}


def original_facts(file_name: str) -> dict:
    """The sample's own capture facts, checked against its manifest entry."""
    facts = capture_facts(SAMPLE_PHOTOS / file_name)
    entry = MANIFEST[file_name]
    assert facts["taken_at"] == entry["taken_at"]
    assert abs(facts["lat"] - entry["lat"]) < 1e-4 and abs(facts["lon"] - entry["lon"]) < 1e-4
    return facts
