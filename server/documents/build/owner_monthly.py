"""The owner's monthly watch report: the last approved watch visit of the month, compared with the
same owner's earlier visit."""

from __future__ import annotations

from datetime import date, timedelta

import aiosqlite

import reports.model as m
from server.documents import queries as q
from server.inspections import approved
from server.inspections.approved import ApprovedVisit
from server.documents import wording
from server.rubrics.audience import owner_text
from server.core import problems
from server.inspections.queries import visit_month
from server.photos.store import PhotoStore
from server.rubrics import RubricRegistry, compare
from server.rubrics.model import Rubric
from server.documents.build.usage import option_work_and_statement
from server.documents.build.work import work_records
from server.documents.build.parts import (
    family_name, issued_on, jst, office_contact, option_label, photo_files, property_of, report_photos, rubric_of,
)


async def owner_monthly(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore,
                        property_id: str, month: str, owner_id: int | None = None) -> m.OwnerMonthlyReport:
    """The month's report, addressed to the owner whose subscription covered the visit; with `owner_id`,
    only that owner's visits. Either way the comparison is with the same owner's earlier visit only."""
    visit = await approved.last_approved_in_month(conn, property_id, "watch", month, owner_id)
    if visit is None:
        return await _work_only(conn, rubrics, store, property_id, month, owner_id)
    addressee = await approved.addressee_of_visit(conn, visit.id)
    same_owner = owner_id if owner_id is not None else (addressee.id if addressee is not None else None)
    previous = await approved.last_approved_before(conn, property_id, "watch", visit.started_at, same_owner)
    rubric = rubric_of(rubrics, visit)
    house = (await q.houses(conn, [property_id]))[property_id]
    photos_by = await q.photos_of(conn, [visit.id] + ([previous.id] if previous else []))
    files = await photo_files(store, photos_by)
    taken = report_photos(rubric, photos_by.get(visit.id, []), files)
    photos = [p for p in taken if p.taken_at is None or p.taken_at.strftime("%Y-%m") == month]
    before = report_photos(rubric_of(rubrics, previous), photos_by.get(previous.id, []), files) if previous else []
    owner = addressee or approved.Addressee(0, "所有者", "")
    a = visit.answers
    next_period = await q.next_watch_period(conn, property_id, month)
    started = jst(visit.started_at)
    next_visit = date.fromisoformat(f"{next_period}-01") if next_period else _next_month(started.date())
    comparison = _watch_comparison(previous, visit, month)
    items = _watch_items(rubric, a)
    spot_name = await q.requested_spot_of(conn, visit.task_id)
    spot_answer = owner_text(rubric, a, "requested_spot_note")
    airing = m.Airing(rooms=int(a.get("airing_rooms", 0)), minutes=int(a.get("airing_minutes", 0)),
                      water_run=a.get("water_state") not in (None, "not_done")) if a.get("airing_done") else None
    mail = m.MailHandling(moved_inside=int(a.get("mail_moved_inside", 0)), forwarded=int(a.get("mail_forwarded", 0))) \
        if "mail_moved_inside" in a or "mail_forwarded" in a else None
    records = await work_records(conn, rubrics, store, property_id, month, same_owner)
    option_work, statement = await option_work_and_statement(
        conn, property_id, addressee.id if addressee else None, started.date().isoformat(), month, airing, mail,
        records)
    return m.OwnerMonthlyReport(
        reference=f"W-{property_id[:8].upper()}-{month.replace('-', '')}",
        issued_on=issued_on(visit),
        property=property_of(house), owner=m.Owner(name=owner.name, address=owner.address),
        visit_started_at=started, visit_ended_at=jst(visit.finished_at),
        carrier_family_name=family_name(visit.carrier_name),
        items=items,
        airing=airing, mail=mail, option_work=option_work, statement=statement,
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
        office=office_contact(await q.office(conn, house.office_code)),
        greeting=wording.GREETING,
    )


async def _work_only(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore, property_id: str,
                     month: str, owner_id: int | None) -> m.OwnerMonthlyReport:
    """A month with approved option work (草刈 …) but no approved watch visit: the work under its heading and
    the statement, with a plain sentence why there is no watch visit in it (nothing observed is made up)."""
    work = await approved.last_approved_in_month(conn, property_id, "work", month, owner_id)
    if work is None:
        raise problems.NO_REPORT("month", month=month)
    addressee = await approved.addressee_of_visit(conn, work.id)
    same_owner = owner_id if owner_id is not None else (addressee.id if addressee is not None else None)
    house = (await q.houses(conn, [property_id]))[property_id]
    records = await work_records(conn, rubrics, store, property_id, month, same_owner)
    option_work, statement = await option_work_and_statement(
        conn, property_id, addressee.id if addressee else None, jst(work.started_at).date().isoformat(), month,
        None, None, records, with_monthly_options=False)
    why = ("waiting" if await approved.watch_visit_waiting_in_month(conn, property_id, month, same_owner)
           else "paused" if statement is not None and statement.paused else "none")
    first_day = date.fromisoformat(f"{month}-01")
    next_period = await q.next_watch_period(conn, property_id, month)
    owner = addressee or approved.Addressee(0, "所有者", "")
    return m.OwnerMonthlyReport(
        reference=f"W-{property_id[:8].upper()}-{month.replace('-', '')}",
        issued_on=issued_on(work),
        property=property_of(house), owner=m.Owner(name=owner.name, address=owner.address),
        month=first_day, no_watch_visit=wording.NO_WATCH_VISIT[why],
        option_work=option_work, statement=statement,
        next_visit_month=date.fromisoformat(f"{next_period}-01") if next_period else _next_month(first_day),
        next_visit_note=wording.PAUSED_NO_NEXT_VISIT if why == "paused" and not next_period else "",
        office=office_contact(await q.office(conn, house.office_code)),
        greeting=wording.GREETING_WORK_ONLY,
    )


def _watch_comparison(previous: ApprovedVisit | None, visit: ApprovedVisit, month: str) -> str:
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
            out.append(m.PhotoWaiver(slot_label=slot.label, reason=option_label(item, answers[slot.waiver_item])[0]))
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
        chosen = [option_label(item, v) for v in (value if item.type == "multi" else [value])]
        if item.type == "multi" and not chosen:
            chosen = [("なし", 0)]
        label = "、".join(c[0] for c in chosen)
        severity = max(c[1] for c in chosen)
        items.append(m.ItemResult(key=item.key, label=item.label, status=label, severity=severity,
                                  comment=owner_text(rubric, answers, _note_key(item.key))))
    return items


def _note_key(item_key: str) -> str:
    return "indoor_note" if item_key == "indoor_findings" else f"{item_key}_note"


def _changes(rubric: Rubric, previous: ApprovedVisit | None, visit: ApprovedVisit,
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
