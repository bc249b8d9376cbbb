"""The owner's monthly PDF's ordered work: each approved work record (option_work rubric) of the owner's
period as the answers the carrier gave under that work, and its photos, before beside after per place."""

from __future__ import annotations

import aiosqlite

import reports.model as m
from server.documents import queries as q
from server.documents.build.parts import jst, option_label, photo_files, report_photos, rubric_of
from server.inspections import approved
from server.photos.store import PhotoStore
from server.rubrics import RubricRegistry, visible_items
from server.rubrics.audience import owner_text
from server.rubrics.model import Item, Rubric

BEFORE, AFTER = "_before", "_after"


async def work_records(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore, property_id: str,
                       month: str, owner_id: int | None) -> dict[str, m.WorkRecord]:
    """The month's approved work records of the house within the owner's periods, by their task (the one
    an order names); nothing without an owner."""
    if owner_id is None:
        return {}
    visits = await approved.approved_work_in_month(conn, property_id, month, owner_id)
    photos_by = await q.photos_of(conn, [v.id for v in visits])
    files = await photo_files(store, photos_by)
    return {v.task_id: _record(rubric_of(rubrics, v), v, report_photos(rubric_of(rubrics, v), photos_by.get(v.id, []), files))
            for v in visits if v.task_id}


def _record(rubric: Rubric, visit: approved.WorkVisit, photos: list[m.Photo]) -> m.WorkRecord:
    facts = [m.WorkFact(label=item.label, answer=text) for item in visible_items(rubric, visit.answers, visit.options)
             if (text := _answer(rubric, item, visit.answers))]
    return m.WorkRecord(day=jst(visit.started_at).date(), facts=facts, photos=_pairs(rubric, photos))


def _answer(rubric: Rubric, item: Item, answers: dict) -> str:
    """An answer as the owner reads it: choices by their labels, numbers with their unit, and text only
    when it is written for the owner ("" when unanswered or internal)."""
    value = answers.get(item.key)
    if value is None:
        return ""
    if item.type == "text":
        return owner_text(rubric, answers, item.key)
    if item.type == "number":
        return f"約{value:g}{item.unit or ''}" if item.unit == "㎡" else f"{value:g}{item.unit or ''}"
    values = value if item.type == "multi" else [value]
    return "、".join(option_label(item, v)[0] for v in values) or "なし"


def _pairs(rubric: Rubric, photos: list[m.Photo]) -> list[m.WorkPhotos]:
    """Photos in `<place>_before` / `<place>_after` slots side by side per place (in form order); any
    other photo of the record (the sign placed) alone."""
    places: dict[str, dict[str, m.Photo]] = {}
    alone = []
    for photo in photos:
        for end in (BEFORE, AFTER):
            if photo.slot_key.endswith(end):
                places.setdefault(photo.slot_key[:-len(end)], {})[end] = photo
                break
        else:
            alone.append(photo)
    slots = {s.key: s for s in rubric.photo_slots}
    pairs = [m.WorkPhotos(place=_place(rubric, slots.get(f"{key}{AFTER}") or slots.get(f"{key}{BEFORE}")),
                          before=found.get(BEFORE), after=found.get(AFTER)) for key, found in places.items()]
    return pairs + ([m.WorkPhotos(place="", alone=alone)] if alone else [])


def _place(rubric: Rubric, slot) -> str:
    """The place a slot shows: the answer its `show_if` names (草刈's area: 前庭), else ""."""
    condition = slot.show_if if slot is not None else None
    item = rubric.item(condition.item) if condition is not None else None
    if item is None or item.type not in ("choice", "multi"):
        return ""
    return "、".join(option_label(item, v)[0] for v in condition.in_)
