"""The review page side by side: answers aligned by item with changes marked, photos paired by
slot, and each photo flag said with its figure (how far from the house, how long before or after
the visit)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from server.photos.evidence import distance_m

FLAG_WORDS = {"no_capture_time": "撮影日時なし", "no_gps": "位置情報なし", "reused_photo": "以前の写真と酷似"}


def _distance_words(metres: float) -> str:
    return f"約{metres / 1000:.1f} km" if metres >= 1000 else f"約{round(metres)} m"


def _delay_words(minutes: float) -> str:
    if minutes >= 2 * 24 * 60:
        return f"約{round(minutes / (24 * 60))}日"
    if minutes >= 120:
        return f"約{round(minutes / 60)}時間"
    return f"約{round(minutes)}分"


def flag_notes(flags: list[str], taken_at: str | None, lat: float | None, lon: float | None, visit: dict) -> list[str]:
    """Each flag in words a clerk can weigh: 「物件から約1.9 km」「訪問の約3時間前に撮影」."""
    notes = []
    for flag in flags:
        if flag == "far_from_property" and None not in (lat, lon, visit["lat"], visit["lon"]):
            notes.append(f"物件から{_distance_words(distance_m(lat, lon, visit['lat'], visit['lon']))}離れた位置で撮影")
        elif flag == "outside_visit_window" and taken_at:
            taken = datetime.fromisoformat(taken_at)
            start, end = datetime.fromisoformat(visit["started_at"]), datetime.fromisoformat(visit["finished_at"])
            if taken < start:
                notes.append(f"訪問開始の{_delay_words((start - taken).total_seconds() / 60)}前に撮影")
            else:
                notes.append(f"訪問終了の{_delay_words((taken - end).total_seconds() / 60)}後に撮影")
        else:
            notes.append(FLAG_WORDS.get(flag, flag))
    return notes


class Row(msgspec.Struct):
    label: str
    now: str
    before: str | None
    change: str  # "" | "changed" | "worse" | "better" | "new"


class PhotoPair(msgspec.Struct):
    slot_label: str
    now: list
    before: list


def aligned_rows(current, previous) -> list[Row]:
    """One row per item in the current record's order; items only the previous visit had come last."""
    before = {a.key: a for a in previous.answers} if previous else {}
    rows = []
    for a in current.answers:
        old = before.pop(a.key, None)
        if previous is None:
            change = ""
        elif old is None:
            change = "new"
        elif old.value == a.value:
            change = ""
        else:
            change = "worse" if a.severity > old.severity else "better" if a.severity < old.severity else "changed"
        rows.append(Row(a.label, a.value, old.value if old else None, change))
    rows += [Row(old.label, "", old.value, "changed") for old in before.values()]
    return rows


def paired_photos(current, previous) -> list[PhotoPair]:
    pairs: dict[str, PhotoPair] = {}
    for photo in current.photos:
        pairs.setdefault(photo.slot, PhotoPair(photo.slot_label, [], [])).now.append(photo)
    for photo in previous.photos if previous else []:
        pairs.setdefault(photo.slot, PhotoPair(photo.slot_label, [], [])).before.append(photo)
    return list(pairs.values())
