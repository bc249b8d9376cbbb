"""The post-disaster notice to the owner: what the carrier saw after the event, what was reported
and to whom."""

from __future__ import annotations

import aiosqlite

import reports.model as m
from server.documents import queries as q
from server.inspections import approved
from server.documents import wording
from server.rubrics.audience import owner_text
from server.core import problems
from server.photos.store import PhotoStore
from server.rubrics import RubricRegistry
from server.rubrics.model import Rubric
from server.documents.build.parts import (
    family_name, issued_on, jst, office_contact, option_label, photo_files, property_of, report_photos, rubric_of,
)


_EVENT_KIND = {"earthquake": "地震", "typhoon": "台風", "heavy_rain": "大雨・洪水", "snow": "大雪", "other": "災害"}


async def disaster_notice(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore,
                          inspection_id: str) -> m.DisasterNotice:
    visit = await approved.approved_visit(conn, inspection_id, "disaster")
    if visit is None:
        raise problems.NO_REPORT("disaster")
    rubric = rubric_of(rubrics, visit)
    house = (await q.houses(conn, [visit.property_id]))[visit.property_id]
    event = await q.disaster_event_of(conn, visit.task_id)
    checked = jst(visit.started_at)
    a = visit.answers
    observations = []
    for item in rubric.all_items():
        if item.key not in a or item.type not in ("choice", "multi") or item.key in _NOT_OBSERVATIONS:
            continue
        values = a[item.key] if item.type == "multi" else [a[item.key]]
        for value in values:
            label, severity = option_label(item, value)
            observations.append(m.Observation(label=item.label, value=label, severity=severity))
    hazards = [option_label(rubric.item("hazards"), h)[0] for h in a.get("hazards", [])]
    reported_to = [option_label(rubric.item("reported_to"), r)[0] for r in a.get("reported_to", [])]
    reported = bool(a.get("reported")) and bool(reported_to)
    owner = await approved.addressee_of_visit(conn, visit.id) or approved.Addressee(0, "所有者", "")
    occurred = jst(event["occurred_at"]) if event else checked
    city = house.municipality_name
    flood = _flood(rubric, a)
    ground = a.get("ground") in ("cracks", "bulging_collapsed") or "ground_cracks" in a.get("other_damage", [])
    photos_by = await q.photos_of(conn, [visit.id])
    files = await photo_files(store, photos_by)
    return m.DisasterNotice(
        reference=f"D-{inspection_id[:8].upper()}", issued_on=issued_on(visit),
        event=m.DisasterEvent(name=(event or {}).get("title") or _EVENT_KIND.get((event or {}).get("kind"), "災害"),
                              occurred_on=occurred.date(), detail=(event or {}).get("intensity", "")),
        municipality=city, property=property_of(house),
        owner=m.Owner(name=owner.name, address=owner.address), checked_at=checked,
        carrier_family_name=family_name(visit.carrier_name), observations=observations,
        flood=flood,
        # A report is stated only as the carrier recorded it: to whom, and the time they wrote down.
        hazards_reported=[m.HazardReport(hazard="・".join(hazards) or "危険箇所", reported_to="・".join(reported_to),
                                         reported_when=owner_text(rubric, a, "reported_at"))] if reported else [],
        hazards_unreported=[] if reported else hazards,
        photos=report_photos(rubric, photos_by.get(visit.id, []), files),
        next_steps=wording.disaster_next_steps(city, reported=reported, unreported_hazards=[] if reported else hazards,
                                               flooded=flood is not None, ground_damage=ground,
                                               building_assessment=(event or {}).get("kind") == "earthquake"
                                               or a.get("event_type") == "earthquake"
                                               or a.get("sticker", "none") != "none"),
        office=office_contact(await q.office(conn, house.office_code)),
        about=wording.disaster_about(),
        owner_message=owner_text(rubric, a, "owner_message"),
    )


_NOT_OBSERVATIONS = ("event_type", "hazards", "reported_to", "flood")


def _flood(rubric: Rubric, a: dict) -> m.Flood | None:
    if "flood" in a:  # rubric v2: 床下 / 床上 / unknown as the carrier chose
        if a["flood"] == "none":
            return None
        return m.Flood(above_ground_cm=a.get("flood_above_ground"), above_floor_cm=a.get("flood_above_floor"),
                       level=option_label(rubric.item("flood"), a["flood"])[0])
    if a.get("flooded"):
        return m.Flood(above_ground_cm=a.get("flood_above_ground"), above_floor_cm=a.get("flood_above_floor"))
    return None
