"""What every document shares: Japan time, the house and the post office as the reports model
wants them, report-size photo files on local disk (fetched from object storage if the photos are
there: server/photos/store.py), labels resolved from the rubric the visit used."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import reports.model as m
from server.core.clock import JST
from server.documents import queries as q
from server.inspections.approved import ApprovedVisit
from server.documents import wording
from server.core import problems
from server.photos.store import PhotoStore
from server.rubrics import RubricRegistry
from server.rubrics.model import Item, Rubric


def jst(text: str | None) -> datetime | None:
    """A stored RFC 3339 time as Japan wall-clock time (what a reader expects on paper)."""
    return datetime.fromisoformat(text).astimezone(JST).replace(tzinfo=None) if text else None


def issued_on(row: ApprovedVisit) -> date:
    """The review date: a document built twice from the same records is the same document."""
    return jst(row.reviewed_at or row.finished_at).date()


def property_of(h: q.HouseRow) -> m.Property:
    return m.Property(address=h.address, district=h.district, lat=h.lat, lon=h.lon,
                      real_estate_id=h.real_estate_id or "", building_use=h.building_use, structure=h.structure,
                      storeys=h.storeys, ledger_no=h.ledger_no, chiban=h.chiban, kaoku_no=h.kaoku_no,
                      built_on=h.built_on or "")


def office_contact(o: q.OfficeRow | None) -> m.OfficeContact:
    if o is None:
        return m.OfficeContact(name="郵便局")
    return m.OfficeContact(name=o.name, address=o.address, phone=o.phone, hours=o.hours)


def family_name(name: str) -> str:
    return name.split()[0] if name.split() else name


async def photo_files(store: PhotoStore, photos_by: dict[str, list[q.PhotoRow]]) -> dict[str, Path]:
    """Every listed photo's report-size image as a local file (fetched from object storage if need be)."""
    return await store.report_files(r.id for rows in photos_by.values() for r in rows)


def report_photos(rubric: Rubric, rows: list[q.PhotoRow], files: dict[str, Path]) -> list[m.Photo]:
    labels = {s.key: s.label for s in rubric.photo_slots}
    order = {s.key: n for n, s in enumerate(rubric.photo_slots)}
    ordered = sorted(rows, key=lambda r: (order.get(r.slot, 99), r.id))
    return [m.Photo(slot_key=r.slot, slot_label=labels.get(r.slot, r.slot), path=str(files[r.id]),
                    taken_at=jst(r.taken_at), heading=wording.compass(r.heading), photo_id=r.id, sha256=r.sha256,
                    **_position(r))
            for r in ordered if r.id in files]


def _position(r: q.PhotoRow) -> dict:
    if r.lat is not None and r.lon is not None:
        return {"lat": r.lat, "lon": r.lon, "position_source": "写真のGPS"}
    if r.device_lat is not None and r.device_lon is not None:
        return {"lat": r.device_lat, "lon": r.device_lon, "position_source": "端末の位置"}
    return {}


def option_label(item: Item, value) -> tuple[str, int]:
    for option in item.options:
        if option.value == value:
            return option.label, option.severity
    if item.type == "boolean":
        return ("はい" if value else "いいえ"), 0
    return str(value), 0


def rubric_of(rubrics: RubricRegistry, row: ApprovedVisit) -> Rubric:
    rubric = rubrics.get(row.rubric_id, row.rubric_version)
    if rubric is None:
        raise problems.RUBRIC_MISSING(rubric_id=row.rubric_id, version=row.rubric_version)
    return rubric
