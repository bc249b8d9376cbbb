"""Writes the committed sample photos and manifest.json, deterministically.

    .venv/bin/python sample_photos/make_sample_photos.py

Ordinary photos are taken at demo properties (server/demo/town.py) with EXIF time and GPS;
the rest are deliberately awkward files for the photo pipeline's tests and benchmarks.
"""

import json
from datetime import datetime
from pathlib import Path

from server.demo.photos import JST, house_photo
from server.demo.town import property_by_key

HERE = Path(__file__).resolve().parent
OSAKA = (34.69374, 135.50218)  # 大阪市役所 area: far from the town, another prefecture

# file, property, seed, taken at (JST), quirk
ORDINARY = [
    ("p01_overview.jpg", "p01", 101, "2026-11-02T09:41:12"),
    ("p02_damage.jpg", "p02", 102, "2026-11-02T10:07:40"),
    ("p03_exterior_north.jpg", "p03", 103, "2026-10-31T10:02:05"),
    ("p09_front.jpg", "p09", 109, "2026-11-19T14:16:31"),
    ("p14_requested_spot.jpg", "p14", 114, "2026-10-29T14:36:58"),
    ("p20_overview.jpg", "p20", 120, "2026-11-20T13:31:22"),
    ("p21_garden.jpg", "p21", 121, "2026-10-30T11:08:47"),
    ("p34_overview.jpg", "p34", 134, "2026-11-07T14:21:03"),
    ("p42_flood_mark.jpg", "p42", 142, "2026-11-26T09:44:10"),
    ("p47_entrance.jpg", "p47", 147, "2026-10-30T15:12:36"),
    ("p49_damage.jpg", "p49", 149, "2026-11-16T14:52:19"),
    ("p55_mailbox.jpg", "p55", 155, "2026-11-23T09:55:44"),
]


def main() -> None:
    manifest = []
    for name, key, seed, taken in ORDINARY:
        manifest.append(_write(name, key, seed, taken, quirk="none"))
    manifest.append(_write("no_exif.jpg", "p05", 205, None, quirk="no_exif", camera=None, gps=False))
    manifest.append(_write("gps_far_away.jpg", "p10", 210, "2026-11-24T10:15:00", quirk="gps_far_away", at=OSAKA))
    manifest.append(_write("orientation_6.jpg", "p11", 211, "2026-11-24T10:40:27", quirk="orientation_6", orientation=6))
    manifest.append(_truncated("truncated.jpg", "p12", 212, "2026-11-25T11:02:09"))
    manifest.append(_write("original_12mp.jpg", "p15", 215, "2026-11-25T11:30:51", quirk="original_12mp",
                           size=(4000, 3000), quality=96))
    (HERE / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(manifest)} photos and manifest.json to {HERE}")


def _write(name, key, seed, taken, *, quirk, gps=True, at=None, camera=("Akiya", "DemoCam"), orientation=1,
           size=(1600, 1200), quality=85, cut=None) -> dict:
    house = property_by_key(key)
    lat, lon = (at or (house.lat, house.lon)) if gps else (None, None)
    taken_at = datetime.fromisoformat(taken).replace(tzinfo=JST) if taken else None
    data = house_photo(seed, lat=lat, lon=lon, taken_at=taken_at, size=size, orientation=orientation,
                       camera=camera, quality=quality)
    if cut:
        data = data[: int(len(data) * cut)]
    (HERE / name).write_bytes(data)
    return {
        "file": name, "property": key, "lat": lat, "lon": lon,
        "taken_at": taken_at.isoformat() if taken_at else None,
        "width": size[0], "height": size[1], "orientation": orientation, "bytes": len(data), "quirk": quirk,
    }


def _truncated(name, key, seed, taken) -> dict:
    """A complete EXIF header, then the scan data cut at 60 %: an upload that broke off."""
    return _write(name, key, seed, taken, quirk="truncated", cut=0.6)


if __name__ == "__main__":
    main()
