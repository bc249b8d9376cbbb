"""A house that changes hands: Ono's watch subscription for 一番町1-1 ends on 31 October 2026 and
Oda's starts on 1 November. Aoki's approved visit on the evening of 31 October is Ono's; his approved
visit at 8 am on 1 November (still 31 October in UTC; the garden now needs a look) is Oda's: the
periods' days are Japanese calendar days, both ends included (Oda's was registered on 20 October,
ahead of its start). Both owners chose e-mail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.support import sql
from tests.support.field import JST, Visit, watch_visit

OCTOBER = datetime(2026, 10, 31, 20, 0, tzinfo=JST)   # the last day of Ono's subscription
NOVEMBER = datetime(2026, 11, 1, 8, 0, tzinfo=JST)    # the first day of Oda's


@dataclass
class Handover:
    october: Visit   # Ono's
    november: Visit  # Oda's
    property_id: str
    subscriptions: dict[str, int]  # owner login -> subscription id


def _on(visit: Visit, start: datetime) -> Visit:
    visit.inspection["started_at"] = start.isoformat()
    visit.inspection["finished_at"] = (start + timedelta(minutes=10)).isoformat()
    return visit


def _approve(as_, visit: Visit) -> Visit:
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_("aoki"))) == {201}
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    return visit


def hand_over(world, as_) -> Handover:
    house = world.properties["watched"]
    october = _approve(as_, _on(watch_visit(world), OCTOBER))  # every item fine
    db = world.db_path
    sql.execute(db, "UPDATE owners SET report_delivery = 'email'")
    sql.execute(db, "UPDATE watch_subscriptions SET end_date = '2026-10-31' WHERE owner_id = ?", world.owners["ono"])
    [(oda_sub,)] = sql.execute(
        db, """INSERT INTO watch_subscriptions (property_id, owner_id, options, start_date, created_at, updated_at)
               VALUES (?, ?, '["airing"]', '2026-11-01', '2026-10-20', '2026-10-20') RETURNING id""",
        house, world.owners["oda"])
    task_id = str(uuid.uuid4())
    sql.execute(
        db, """INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, subscription_id, period, due_date,
                                  assignee_id, options, created_at, updated_at)
               VALUES (?, ?, 'watch', 'watch_basic', 1, ?, '2026-11', '2026-11-20', ?, '["airing"]', ?, ?)""",
        task_id, house, oda_sub, world.users["aoki"], NOVEMBER.isoformat(), NOVEMBER.isoformat())
    ono_sub = sql.value(db, "SELECT id FROM watch_subscriptions WHERE owner_id = ? AND property_id = ?",
                        world.owners["ono"], house)
    november = Visit(property_id=house, rubric_id="watch_basic", task_id=task_id, options=["airing"],
                     overrides={"garden": "check", "garden_note": "雑草が伸びています"}, photo_seed=2)
    _approve(as_, _on(november, NOVEMBER))
    return Handover(october, november, house, {"ono": ono_sub, "oda": oda_sub})
