"""The review queue: submitted inspections with their photos, flags and the previous visit."""

from __future__ import annotations

import json

import aiosqlite
import msgspec

from server.office.review_compare import flag_notes

from server.db.records import from_row
from server.inspections.lists import review_queue_rows, visit_row
from server.inspections.queries import last_approved_sql
from server.properties.ledger_check import ledger_differences
from server.rubrics import RubricRegistry
from server.tasks.requested_spot import NOTE_ITEM, REASON_ITEM, SLOT
from server.users.queries import User


class QueueEntry(msgspec.Struct):
    id: str
    kind: str
    address: str
    carrier: str
    finished_at: str
    received_at: str
    rank_label: str | None
    result_flags: int
    photo_flags: int
    correction: bool


class PhotoView(msgspec.Struct):
    id: str
    slot: str
    slot_label: str
    taken_at: str | None
    flags: list[str]
    notes: list[str] = []   # each flag said with its figure: how far, how late


class Answer(msgspec.Struct):
    key: str
    label: str
    value: str
    severity: int = 0


class InspectionView(msgspec.Struct):
    id: str
    status: str
    kind: str
    property_id: str
    address: str
    carrier: str
    finished_at: str
    notes: str
    review_comment: str
    supersedes: str | None
    result: dict
    answers: list[Answer]
    photos: list[PhotoView]
    ledger_differences: list[str] = []  # 台帳と相違: the ledger's 構造・用途 against the answers
    requested_spot: str = ""  # the owner's requested spot of the visit's task
    requested_spot_gap: str | None = None  # what the visit lacks about it, said for the clerk


async def review_queue(conn: aiosqlite.Connection, user: User) -> list[QueueEntry]:
    rows = await review_queue_rows(conn, user)
    out = []
    for r in rows:
        result = json.loads(r["result"])
        out.append(from_row(QueueEntry, r, rank_label=result.get("rank_label"),
                            result_flags=len(result.get("flags", [])), correction=r["supersedes"] is not None))
    return out


def _severity(item, value) -> int:
    if item is None or not item.options:
        return 0
    chosen = value if isinstance(value, list) else [value]
    return max((o.severity for o in item.options if o.value in chosen), default=0)


def _answer_text(item, value) -> str:
    if item is None:
        return str(value)
    labels = {o.value: o.label for o in item.options}
    if isinstance(value, list):
        return "、".join(labels.get(v, str(v)) for v in value) or "なし"
    if value in labels:
        return labels[value]
    return f"{value}{item.unit or ''}" if item.type == "number" else str(value)


async def inspection_view(conn: aiosqlite.Connection, user: User, rubrics: RubricRegistry, inspection_id: str,
                          approved_only: bool = False) -> InspectionView | None:
    r = await visit_row(conn, user, inspection_id, approved_only)
    if r is None:
        return None
    rubric = rubrics.get(r["rubric_id"], r["rubric_version"])
    answers = json.loads(r["answers"])
    items = {i.key: i for i in rubric.all_items()} if rubric else {}
    order = [k for k in items if k in answers] + [k for k in answers if k not in items]
    slots = {s.key: s.label for s in rubric.photo_slots} if rubric else {}
    visit = {"started_at": r["started_at"], "finished_at": r["finished_at"], "lat": r["lat"], "lon": r["lon"]}
    async with conn.execute(
        """SELECT id, slot, taken_at, flags, coalesce(lat, device_lat) AS lat, coalesce(lon, device_lon) AS lon
           FROM photos WHERE inspection_id = ? AND received_at IS NOT NULL ORDER BY slot, id""",
            (inspection_id,)) as cur:
        photos = [from_row(PhotoView, p, slot_label=slots.get(p["slot"], p["slot"]), flags=json.loads(p["flags"]),
                           notes=flag_notes(json.loads(p["flags"]), p["taken_at"], p["lat"], p["lon"], visit))
                  for p in await cur.fetchall()]
    slot_order = list(slots)
    photos.sort(key=lambda p: (slot_order.index(p.slot) if p.slot in slot_order else len(slot_order), p.id))
    result = json.loads(r["result"])
    statutory = result.get("statutory") or {}
    return from_row(
        InspectionView, r, result=result,
        ledger_differences=ledger_differences(r["building_use"], r["structure"], answers,
                                              statutory_scored=statutory.get("min") is not None),
        answers=[Answer(k, items[k].label if k in items else k, _answer_text(items.get(k), answers[k]),
                        _severity(items.get(k), answers[k])) for k in order],
        photos=photos,
        requested_spot_gap=requested_spot_gap(r["requested_spot"], answers, items, {p.slot for p in photos}))


def requested_spot_gap(spot: str, answers: dict, items: dict, slots: set[str]) -> str | None:
    """「ご依頼箇所「物置」の記録がありません」 and the like, or None when the visit answers the request or its
    form has no place for it (a work record: server/tasks/requested_spot.py's rule)."""
    if not spot.strip() or NOTE_ITEM not in items:
        return None
    reason = answers.get(REASON_ITEM)
    if reason not in (None, ""):
        return f"ご依頼箇所「{spot}」は確認できませんでした（理由: {_answer_text(items.get(REASON_ITEM), reason)}）。"
    missing = [what for what, gone in (("様子の記録", not str(answers.get(NOTE_ITEM) or "").strip()),
                                       ("写真", SLOT not in slots)) if gone]
    return f"ご依頼箇所「{spot}」の{'と'.join(missing)}がありません。" if missing else None


async def previous_visit_id(conn: aiosqlite.Connection, inspection: InspectionView) -> str | None:
    """The last approved visit of the same house and kind before this one."""
    last, params = last_approved_sql([inspection.property_id], per="kind", kind=inspection.kind,
                                     before=inspection.finished_at)
    async with conn.execute(last, params) as cur:
        row = await cur.fetchone()
    return row["id"] if row else None
