"""The disaster form, for registering and editing alike: its values from an event, an event from its values."""

from __future__ import annotations

from datetime import datetime

import msgspec

from server.core.clock import JST
from server.disasters.area import check_area
from server.disasters.queries import EventIn, EventOut
from server.core import problems
from server.office.pages import jst

FIELDS = ("kind", "intensity", "title", "occurred_at", "area_type", "municipality_codes", "districts", "lat", "lon",
          "radius_m", "include_surveyed")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("、", ",").split(",") if part.strip()]


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise problems.INVALID_AREA("numbers") from None


def posted_values(form) -> dict[str, str]:
    """What the person typed, to show again beside an error."""
    return {name: str(form.get(name, "")).strip() for name in FIELDS}


def event_values(event: EventOut) -> dict[str, str]:
    """A stored event as the form shows it (time in JST, to the second so that it does not change)."""
    area, center = event.area, event.area.get("center") or {}
    return {"kind": event.kind, "intensity": event.intensity, "title": event.title,
            "occurred_at": jst(event.occurred_at, "%Y-%m-%dT%H:%M:%S"),
            "area_type": "circle" if center else "municipality",
            "municipality_codes": ", ".join(area.get("municipality_codes") or []),
            "districts": ", ".join(area.get("districts") or []),
            "lat": str(center.get("lat", "")), "lon": str(center.get("lon", "")),
            "radius_m": f"{area['radius_m']:g}" if area.get("radius_m") else "",
            "include_surveyed": "1" if event.include_surveyed else ""}


def event_from_values(values: dict[str, str], default_municipality: str | None) -> EventIn:
    """The event the form describes, checked as strictly as the API checks it; BadRequest says what to fix."""
    try:
        occurred = datetime.fromisoformat(values["occurred_at"])
    except ValueError:
        raise problems.INVALID_TIME() from None
    if values["area_type"] == "circle":
        area = {"center": {"lat": _number(values["lat"]), "lon": _number(values["lon"])},
                "radius_m": _number(values["radius_m"])}
    else:
        codes = _split(values["municipality_codes"]) or ([default_municipality] if default_municipality else [])
        area = {"municipality_codes": codes, "districts": _split(values["districts"]) or None}
    raw = {"kind": values["kind"], "occurred_at": occurred.replace(tzinfo=occurred.tzinfo or JST), "area": area,
           "intensity": values["intensity"], "title": values["title"],
           "include_surveyed": values["include_surveyed"] == "1"}
    try:
        event = msgspec.convert(raw, EventIn)
    except msgspec.ValidationError as exc:
        raise problems.INVALID_EVENT(reason=_message(str(exc))) from None
    check_area(event.area)
    return event


def _message(problem: str) -> str:
    if "kind" in problem:
        return "災害の種類を選んでください。"
    if "municipality_codes" in problem:
        return "自治体コードは6桁の数字で入力してください（複数はカンマ区切り）。"
    if "center" in problem:
        return "中心の緯度は -90〜90、経度は -180〜180 の範囲で入力してください。"
    if "radius_m" in problem:
        return "半径は 0 より大きく 200,000 m 以下で入力してください。"
    if "intensity" in problem:
        return "規模は40文字以内で入力してください。"
    if "title" in problem:
        return "名称は200文字以内で入力してください。"
    return "地区の名前が長すぎます（100文字まで）。"
