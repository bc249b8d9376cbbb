"""Records a field device sends in the reliability runs: surveys of houses the carrier reported
(no task needed, so any number of them), each with three photos of distinct bytes."""

from __future__ import annotations

import asyncio
import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path

from server.core.audit import SYSTEM
from server.db import database_for
from server.users.queries import add_user
from tests.support.field import Visit, new_id, photo_bytes
from tests.support.world import PASSWORD, build_world, password_hash

SURVEY_SLOTS = ["overview", "front", "surroundings"]
HOUSE_LAT, HOUSE_LON = 35.6890, 139.7420


def build_world_with_carriers(db_path: Path | str, carriers: int) -> list[str]:
    """The test world plus `carriers` more carriers at 中央郵便局; returns their logins."""
    build_world(db_path)
    return add_carriers(db_path, carriers)


def add_carriers(db_path: Path | str, count: int) -> list[str]:
    """`count` more carriers (carrier01, carrier02 …) at 中央郵便局 in a built world; their logins."""
    logins = [f"carrier{n:02d}" for n in range(1, count + 1)]

    async def add(conn):
        for login in logins:
            await add_user(conn, SYSTEM, login=login, name=f"配達員 {login[-2:]}", role="carrier",
                           password=PASSWORD, password_hash=password_hash(), office_code="10001")

    async def run():
        async with database_for(db_path, readers=1) as db:
            await db.write(add)

    asyncio.run(run())
    return logins


def tagged_jpeg(base: bytes, tag: str) -> bytes:
    """The same picture with a JPEG comment segment right after SOI: other bytes, same image."""
    payload = tag.encode()
    return base[:2] + struct.pack(">BBH", 0xFF, 0xFE, len(payload) + 2) + payload + base[2:]


@dataclass
class Record:
    """One outbox entry: the op to push (same op_id on every retry) and the photos to upload after."""

    op: dict
    inspection_id: str
    photos: dict[str, bytes] = field(default_factory=dict)


def survey_records(count: int, base_photo: bytes, label: str) -> list[Record]:
    """`count` surveys of one house: the first reports the house (property.report), the rest survey it again."""
    house = {"id": new_id(), "lat": HOUSE_LAT, "lon": HOUSE_LON, "address_text": f"東京都千代田区一番町{label}",
             "notes": ""}
    records = []
    for n in range(count):
        visit = Visit(property_id=house["id"], rubric_id="municipal_survey", slots=[], lat=HOUSE_LAT, lon=HOUSE_LON)
        photos = {new_id(): tagged_jpeg(base_photo, f"{label}/{n}/{slot}") for slot in SURVEY_SLOTS}
        visit.inspection["photos"] = [
            {"id": pid, "slot": slot, "sha256": hashlib.sha256(data).hexdigest()}
            for (pid, data), slot in zip(photos.items(), SURVEY_SLOTS)]
        if n == 0:
            op = {"op_id": visit.op_id, "type": "property.report", "property": house, "inspection": visit.inspection}
        else:
            op = visit.op()
        records.append(Record(op, visit.id, photos))
    return records


def base_photo(seed: int) -> bytes:
    return photo_bytes(seed, lat=HOUSE_LAT, lon=HOUSE_LON)
