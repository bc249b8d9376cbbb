"""From approved records to the `reports` input model: every label resolved from the rubric
the visit used, every photo a report-size file on local disk (fetched from object storage if the
photos are there: server/photos/store.py), every time in Japan time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import aiosqlite

import reports.model as m
from server.clock import JST
from server.documents import queries as q
from server.documents import wording
from server.rubrics.audience import owner_text
from server import problems
from server.inspections.queries import visit_month
from server.photos.store import PhotoStore
from server.rubrics import RubricRegistry, compare
from server.rubrics.model import Item, Rubric


def _jst(text: str | None) -> datetime | None:
    """A stored RFC 3339 time as Japan wall-clock time (what a reader expects on paper)."""
    return datetime.fromisoformat(text).astimezone(JST).replace(tzinfo=None) if text else None


def _issued_on(row: q.InspectionRow) -> date:
    """The review date: a document built twice from the same records is the same document."""
    return _jst(row.reviewed_at or row.finished_at).date()


def _property(h: q.HouseRow) -> m.Property:
    return m.Property(address=h.address, district=h.district, lat=h.lat, lon=h.lon,
                      real_estate_id=h.real_estate_id or "", building_use=h.building_use, structure=h.structure,
                      storeys=h.storeys, ledger_no=h.ledger_no, chiban=h.chiban, kaoku_no=h.kaoku_no)


def _office(o: q.OfficeRow | None) -> m.OfficeContact:
    if o is None:
        return m.OfficeContact(name="郵便局")
    return m.OfficeContact(name=o.name, address=o.address, phone=o.phone, hours=o.hours)


def _family(name: str) -> str:
    return name.split()[0] if name.split() else name


async def _photo_files(store: PhotoStore, photos_by: dict[str, list[q.PhotoRow]]) -> dict[str, Path]:
    """Every listed photo's report-size image as a local file (fetched from object storage if need be)."""
    return await store.report_files(r.id for rows in photos_by.values() for r in rows)


def _photos(rubric: Rubric, rows: list[q.PhotoRow], files: dict[str, Path]) -> list[m.Photo]:
    labels = {s.key: s.label for s in rubric.photo_slots}
    order = {s.key: n for n, s in enumerate(rubric.photo_slots)}
    ordered = sorted(rows, key=lambda r: (order.get(r.slot, 99), r.id))
    return [m.Photo(slot_key=r.slot, slot_label=labels.get(r.slot, r.slot), path=str(files[r.id]),
                    taken_at=_jst(r.taken_at), heading=wording.compass(r.heading), photo_id=r.id, sha256=r.sha256,
                    **_position(r))
            for r in ordered if r.id in files]


def _position(r: q.PhotoRow) -> dict:
    if r.lat is not None and r.lon is not None:
        return {"lat": r.lat, "lon": r.lon, "position_source": "写真のGPS"}
    if r.device_lat is not None and r.device_lon is not None:
        return {"lat": r.device_lat, "lon": r.device_lon, "position_source": "端末の位置"}
    return {}


def _option(item: Item, value) -> tuple[str, int]:
    for option in item.options:
        if option.value == value:
            return option.label, option.severity
    if item.type == "boolean":
        return ("はい" if value else "いいえ"), 0
    return str(value), 0


def _rubric(rubrics: RubricRegistry, row: q.InspectionRow) -> Rubric:
    rubric = rubrics.get(row.rubric_id, row.rubric_version)
    if rubric is None:
        raise problems.RUBRIC_MISSING(rubric_id=row.rubric_id, version=row.rubric_version)
    return rubric


# --- the owner's monthly watch report -------------------------------------------------------

async def owner_monthly(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore,
                        property_id: str, month: str, owner_id: int | None = None) -> m.OwnerMonthlyReport:
    """The month's report, addressed to the owner whose subscription covered the visit; with `owner_id`,
    only that owner's visits. Either way the comparison is with the same owner's earlier visit only."""
    visits = await q.approved_inspections(conn, property_id, "watch", owner_id)
    in_month = [v for v in visits if visit_month(v.started_at) == month]
    if not in_month:
        raise problems.NO_REPORT("month", month=month)
    visit = in_month[-1]
    addressee = await q.owner_of_visit(conn, visit.id)
    same_owner = owner_id if owner_id is not None else (addressee.id if addressee is not None else None)
    previous = await q.last_approved_before(conn, property_id, "watch", visit.started_at, same_owner)
    rubric = _rubric(rubrics, visit)
    house = (await q.houses(conn, [property_id]))[property_id]
    photos_by = await q.photos_of(conn, [visit.id] + ([previous.id] if previous else []))
    files = await _photo_files(store, photos_by)
    taken = _photos(rubric, photos_by.get(visit.id, []), files)
    photos = [p for p in taken if p.taken_at is None or p.taken_at.strftime("%Y-%m") == month]
    before = _photos(_rubric(rubrics, previous), photos_by.get(previous.id, []), files) if previous else []
    owner = addressee or q.OwnerRow(0, "所有者", "")
    a = visit.answers
    next_period = await q.next_watch_period(conn, property_id, month)
    started = _jst(visit.started_at)
    next_visit = date.fromisoformat(f"{next_period}-01") if next_period else _next_month(started.date())
    comparison = _watch_comparison(previous, visit, month)
    items = _watch_items(rubric, a)
    spot_name = await q.requested_spot_of(conn, visit.task_id)
    spot_answer = owner_text(rubric, a, "requested_spot_note")
    return m.OwnerMonthlyReport(
        reference=f"W-{property_id[:8].upper()}-{month.replace('-', '')}",
        issued_on=_issued_on(visit),
        property=_property(house), owner=m.Owner(name=owner.name, address=owner.address),
        visit_started_at=started, visit_ended_at=_jst(visit.finished_at),
        carrier_family_name=_family(visit.carrier_name),
        items=items,
        airing=m.Airing(rooms=int(a.get("airing_rooms", 0)), minutes=int(a.get("airing_minutes", 0)),
                        water_run=a.get("water_state") not in (None, "not_done"))
        if a.get("airing_done") else None,
        mail=m.MailHandling(moved_inside=int(a.get("mail_moved_inside", 0)), forwarded=int(a.get("mail_forwarded", 0)))
        if "mail_moved_inside" in a or "mail_forwarded" in a else None,
        photos=photos,
        earlier_photos=[p for p in taken if p not in photos] + before,
        photo_waivers=_waivers(rubric, a),
        changes=_changes(rubric, previous, visit, photos, before) if comparison == "compared" else [],
        changes_note=wording.COMPARISON_NOTES.get(comparison, wording.NO_CHANGE),
        actions=[wording.owner_action(i, a, next_visit) for i in items if i.severity > 0],
        remarks="\n".join(t for t in (owner_text(rubric, a, "owner_message"),
                                      owner_text(rubric, a, "airing_skipped_reason")) if t),
        requested_spot=m.RequestedSpot(name=spot_name, answer=spot_answer) if spot_name or spot_answer else None,
        next_visit_month=next_visit,
        office=_office(await q.office(conn, house.office_code)),
        greeting=wording.GREETING,
    )


def _watch_comparison(previous: q.InspectionRow | None, visit: q.InspectionRow, month: str) -> str:
    """'compared' only against last month's visit under the same rubric and version."""
    if previous is None:
        return "first"
    if (previous.rubric_id, previous.rubric_version) != (visit.rubric_id, visit.rubric_version):
        return "rubric_changed"
    last_month = (date.fromisoformat(f"{month}-01") - timedelta(days=1)).strftime("%Y-%m")
    return "compared" if visit_month(previous.started_at) == last_month else "no_previous_month"


def _waivers(rubric: Rubric, answers: dict) -> list[m.PhotoWaiver]:
    out = []
    for slot in rubric.photo_slots:
        item = rubric.item(slot.waiver_item) if slot.waiver_item else None
        if item is not None and slot.waiver_item in answers:
            out.append(m.PhotoWaiver(slot_label=slot.label, reason=_option(item, answers[slot.waiver_item])[0]))
    return out


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _watch_items(rubric: Rubric, answers: dict) -> list[m.ItemResult]:
    """Every answered choice item (and multi item, by its worst choice) outside the photo waivers,
    each with its `<key>_note` comment when the owner may read it."""
    waivers = {s.waiver_item for s in rubric.photo_slots if s.waiver_item}
    items = []
    for item in rubric.all_items():
        if item.type not in ("choice", "multi") or item.key not in answers or item.key in waivers:
            continue
        value = answers[item.key]
        chosen = [_option(item, v) for v in (value if item.type == "multi" else [value])]
        if item.type == "multi" and not chosen:
            chosen = [("なし", 0)]
        label = "、".join(c[0] for c in chosen)
        severity = max(c[1] for c in chosen)
        items.append(m.ItemResult(key=item.key, label=item.label, status=label, severity=severity,
                                  comment=owner_text(rubric, answers, _note_key(item.key))))
    return items


def _note_key(item_key: str) -> str:
    return "indoor_note" if item_key == "indoor_findings" else f"{item_key}_note"


def _changes(rubric: Rubric, previous: q.InspectionRow | None, visit: q.InspectionRow,
             photos_now: list[m.Photo], photos_then: list[m.Photo]) -> list[m.Change]:
    if previous is None or previous.rubric_id != visit.rubric_id:
        return []

    def slot_photo(photos: list[m.Photo], item_key: str) -> m.Photo | None:
        return next((p for p in photos if p.slot_key == item_key or p.slot_key.startswith(item_key)
                     or item_key.startswith(p.slot_key)), None)

    return [m.Change(item_label=c.label, direction=c.direction, before=c.before, after=c.after,
                     comment=owner_text(rubric, visit.answers, _note_key(c.item)),
                     photo_before=slot_photo(photos_then, c.item), photo_after=slot_photo(photos_now, c.item))
            for c in compare(rubric, previous.answers, visit.answers)]


# --- the post-disaster notice ------------------------------------------------------------------

_EVENT_KIND = {"earthquake": "地震", "typhoon": "台風", "heavy_rain": "大雨・洪水", "snow": "大雪", "other": "災害"}


async def disaster_notice(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore,
                          inspection_id: str) -> m.DisasterNotice:
    visit = await q.approved_inspection(conn, inspection_id, "disaster")
    if visit is None:
        raise problems.NO_REPORT("disaster")
    rubric = _rubric(rubrics, visit)
    house = (await q.houses(conn, [visit.property_id]))[visit.property_id]
    event = await q.disaster_event_of(conn, visit.task_id)
    checked = _jst(visit.started_at)
    a = visit.answers
    observations = []
    for item in rubric.all_items():
        if item.key not in a or item.type not in ("choice", "multi") or item.key in _NOT_OBSERVATIONS:
            continue
        values = a[item.key] if item.type == "multi" else [a[item.key]]
        for value in values:
            label, severity = _option(item, value)
            observations.append(m.Observation(label=item.label, value=label, severity=severity))
    hazards = [_option(rubric.item("hazards"), h)[0] for h in a.get("hazards", [])]
    reported_to = [_option(rubric.item("reported_to"), r)[0] for r in a.get("reported_to", [])]
    reported = bool(a.get("reported")) and bool(reported_to)
    owner = await q.owner_of_visit(conn, visit.id) or q.OwnerRow(0, "所有者", "")
    occurred = _jst(event["occurred_at"]) if event else checked
    city = house.municipality_name
    flood = _flood(rubric, a)
    ground = a.get("ground") in ("cracks", "bulging_collapsed") or "ground_cracks" in a.get("other_damage", [])
    photos_by = await q.photos_of(conn, [visit.id])
    files = await _photo_files(store, photos_by)
    return m.DisasterNotice(
        reference=f"D-{inspection_id[:8].upper()}", issued_on=_issued_on(visit),
        event=m.DisasterEvent(name=(event or {}).get("title") or _EVENT_KIND.get((event or {}).get("kind"), "災害"),
                              occurred_on=occurred.date(), detail=(event or {}).get("intensity", "")),
        municipality=city, property=_property(house),
        owner=m.Owner(name=owner.name, address=owner.address), checked_at=checked,
        carrier_family_name=_family(visit.carrier_name), observations=observations,
        flood=flood,
        # A report is stated only as the carrier recorded it: to whom, and the time they wrote down.
        hazards_reported=[m.HazardReport(hazard="・".join(hazards) or "危険箇所", reported_to="・".join(reported_to),
                                         reported_when=owner_text(rubric, a, "reported_at"))] if reported else [],
        hazards_unreported=[] if reported else hazards,
        photos=_photos(rubric, photos_by.get(visit.id, []), files),
        next_steps=wording.disaster_next_steps(city, reported=reported, unreported_hazards=[] if reported else hazards,
                                               flooded=flood is not None, ground_damage=ground,
                                               building_assessment=(event or {}).get("kind") == "earthquake"
                                               or a.get("event_type") == "earthquake"
                                               or a.get("sticker", "none") != "none"),
        office=_office(await q.office(conn, house.office_code)),
        about=wording.disaster_about(),
        owner_message=owner_text(rubric, a, "owner_message"),
    )


_NOT_OBSERVATIONS = ("event_type", "hazards", "reported_to", "flood")


def _flood(rubric: Rubric, a: dict) -> m.Flood | None:
    if "flood" in a:  # rubric v2: 床下 / 床上 / unknown as the carrier chose
        if a["flood"] == "none":
            return None
        return m.Flood(above_ground_cm=a.get("flood_above_ground"), above_floor_cm=a.get("flood_above_floor"),
                       level=_option(rubric.item("flood"), a["flood"])[0])
    if a.get("flooded"):
        return m.Flood(above_ground_cm=a.get("flood_above_ground"), above_floor_cm=a.get("flood_above_floor"))
    return None
