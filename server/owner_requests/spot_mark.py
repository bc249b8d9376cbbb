"""A mark on last month's photo with a spot request: one received photo of the house's last approved watch
visit in the owner's own period, and one cell of a 3×3 grid over it (0 = 左上 … 8 = 右下), so a finger or a
mouse needs no pixel precision. The owner's form offers these photos; the request checks the choice again
(the photo of that house, of a visit the owner may see, received; a cell 0–8)."""

from __future__ import annotations

import aiosqlite
import msgspec

from server.core import problems
from server.db.records import from_row
from server.rubrics import RubricRegistry
from server.inspections.lists import last_watch_visit_photo_rows, watch_photo_visible
from server.users.queries import User

CELLS = ("左上", "上", "右上", "左", "中央", "右", "左下", "下", "右下")


class MarkablePhoto(msgspec.Struct, frozen=True):
    id: str
    slot: str
    finished_at: str
    label: str = ""  # the slot's name on the visit's form (例: 建物の正面)


async def markable_photos(conn: aiosqlite.Connection, user: User, property_id: str,
                          rubrics: RubricRegistry) -> list[MarkablePhoto]:
    """The received photos of the last approved watch visit of the house that the user may see."""
    rows = await last_watch_visit_photo_rows(conn, user, property_id)
    return [from_row(MarkablePhoto, r, label=_slot_label(rubrics, r)) for r in rows]


def _slot_label(rubrics: RubricRegistry, row) -> str:
    rubric = rubrics.get(row["rubric_id"], row["rubric_version"])
    labels = {s.key: s.label for s in rubric.photo_slots} if rubric else {}
    return labels.get(row["slot"], "写真")


async def checked_mark(conn: aiosqlite.Connection, user: User, property_id: str, photo_id: str,
                       cell: str) -> tuple[str | None, int | None]:
    """(photo id, cell) of a valid mark, (None, None) when no photo was chosen; refused otherwise with the
    same message for a photo that does not exist and one the owner may not see."""
    photo_id = photo_id.strip()
    if not photo_id:
        return None, None
    if not cell.strip().isdigit() or not 0 <= int(cell) <= 8:
        raise problems.SPOT_MARK("cell")
    if not await watch_photo_visible(conn, user, property_id, photo_id):
        raise problems.SPOT_MARK("photo")
    return photo_id, int(cell)
