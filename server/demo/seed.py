"""`akiya seed-demo`: the demo town in an empty database, through the same code paths the
server uses (push, photo ingest, review), so a newcomer sees a living system."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

from server.core import audit
from server.core.audit import SYSTEM
from server.auth.passwords import hash_password
from server.core.clock import today_jst
from server.contracts.queries import add_to_contract
from server.db import Database, database_for
from server.demo import candidates, owner_survey, town
from server.demo.mode import mark_demo_database
from server.disasters.area import Area, area_json, identity
from server.demo.history import PastVisit, demo_disaster, demo_history, demo_photo, open_tasks, work_visit_day
from server.inspections.queries import ReviewTarget, record_review
from server.photos import evidence_flags, ingest
from server.photos.queries import declared_photo, record_arrival
from server.photos.store import PhotoStore
from server.properties.queries import add_municipality, add_post_office, insert_property
from server.rubrics import RubricRegistry
from server.core.settings import Settings
from server.storage import storage_for
from server.sync.push import apply_push
from server.sync.schemas import InspectionIn, InspectionSubmit, Location, PhotoDeclaration
from server.tasks.queries import add_task
from server.owner_survey.letters import default_selection, make_letters
from server.owner_survey.queries import letters_of_contract, record_return, save_answer
from server.survey_candidates.outcomes import surveyed_houses
from server.survey_candidates.queries import candidates_of_contract, contract_ref, set_outcome
from server.survey_candidates.service import import_candidate_file
from server.users.queries import add_user, set_sees_owner_letters, user_by_login

DEMO_PASSWORD = "akiya-demo"
_NAMESPACE = uuid.UUID("6f1d7a52-5c2e-4d8e-9a57-0b1c4a7e2d10")


def demo_id(key: str) -> str:
    """Stable UUIDs, so the demo reads the same every time it is seeded."""
    return str(uuid.uuid5(_NAMESPACE, key))


class NotEmpty(Exception):
    """The database already holds records: the demo town is never mixed into them (no way to force it)."""


# Every table of the schema, on either engine.
_TABLES = {
    False: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
    True: """SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
             AND table_type = 'BASE TABLE' ORDER BY table_name""",
}
# Not records: the schema's version (PostgreSQL), which process runs the schedule and the mail, and the
# menu of services every installation starts with (migration 0017).
_NOT_RECORDS = {"akiya_schema", "leases", "services"}


async def records_found(conn, postgres: bool) -> dict[str, int]:
    """{table: rows} of every table holding records."""
    found = {}
    for (table,) in await conn.execute_fetchall(_TABLES[postgres]):
        if table in _NOT_RECORDS:
            continue
        async with conn.execute(f'SELECT count(*) FROM "{table}"') as cur:
            rows = (await cur.fetchone())[0]
        if rows:
            found[table] = rows
    return found


def _refusal(shown: str, found: dict[str, int]) -> str:
    listed = "、".join(f"{table} {rows}行" for table, rows in found.items())
    return (f"{shown} は空ではありません（{listed}）。デモの町は空のデータベースにだけ作ります。"
            f"--db で新しいファイル（例: /tmp/demo.sqlite3）を指定してください。")


async def seed_demo(settings: Settings, today: date | None = None) -> str:
    today = today or today_jst()
    rubrics = RubricRegistry.load_dir(settings.rubrics_dir)
    store = PhotoStore.for_settings(settings, storage_for(settings))
    # The photos are drawn into a folder beside the upload scratch (same disk: stored by rename).
    store.scratch_root().mkdir(parents=True, exist_ok=True)
    drawn = Path(tempfile.mkdtemp(prefix="seed-demo-", dir=store.scratch_root()))
    try:
        async with database_for(settings.db, readers=1) as db:
            async with db.read() as conn:
                found = await records_found(conn, settings.db_is_postgres)
            if found:
                raise NotEmpty(_refusal(settings.db_shown, found))
            ids = await db.write(_town, today)
            history = demo_history(today)
            photo_files = await asyncio.to_thread(_make_photos, history, drawn)
            for visit in history:
                await _replay(db, rubrics, store, ids, visit, photo_files, drawn)
            await db.write(_open_tasks, ids, today)
            await _candidate_lists(db, ids["contract"])
            await db.write(_owner_survey, ids["contract"], settings.base_url)
            await db.write(_orders, ids, today, rubrics.latest("watch_basic").version)
            await db.write(mark_demo_database, today.isoformat())
    finally:
        shutil.rmtree(drawn, ignore_errors=True)
        await store.blobs.close()
    return (f"demo town {town.TOWN.name} ({town.TOWN.code}): {len(town.PROPERTIES)} properties, "
            f"{len(history)} past inspections, {sum(len(v.photo_slots) for v in history)} photos; "
            f"logins {', '.join(u.login for u in town.USERS)} — password {DEMO_PASSWORD}")


async def _town(conn, today: date) -> dict:
    t = town.TOWN
    await add_municipality(conn, SYSTEM, t.code, t.name, t.prefecture)
    for office in town.OFFICES:
        await add_post_office(conn, SYSTEM, code=office.code, name=office.name, municipality_code=t.code,
                              address=office.address, phone=office.phone, hours=office.hours,
                              lat=office.lat, lon=office.lon)
    users: dict[str, int] = {}
    owners: dict[str, int] = {}
    for owner in town.OWNERS:
        cur = await conn.execute(
            """INSERT INTO owners (name, name_kana, address, phone, email, report_delivery, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (f"{owner.family_name} {owner.given_name}", owner.kana, owner.address, owner.phone, owner.email,
             owner.report_delivery, today.isoformat()))
        owners[owner.login] = cur.lastrowid
    # Demo only: one short shared password for every demo login, hashed here so it bypasses the password
    # policy (add_user checks only plain passwords); the server shows it only in demo mode on this database.
    password_hash = hash_password(DEMO_PASSWORD)
    for user in town.USERS:
        users[user.login] = await add_user(
            conn, SYSTEM, login=user.login, name=f"{user.family_name} {user.given_name}".strip(), role=user.role,
            password="", password_hash=password_hash, office_code=user.office_code,
            municipality_code=user.municipality_code, owner_id=owners.get(user.login))
    properties: dict[str, str] = {}
    for house in town.PROPERTIES:
        properties[house.key] = await insert_property(
            conn, id=demo_id(f"property:{house.key}"), municipality_code=t.code, office_code=house.office_code,
            district=house.district, address=house.address, lat=house.lat, lon=house.lon,
            real_estate_id=house.real_estate_id, building_use=house.building_use, structure=house.structure,
            storeys=house.storeys, usual_carrier_id=users[house.carrier], built_on=house.built_on,
            **dict(zip(("ledger_no", "chiban", "kaoku_no"), town.identifiers(house.key))))
    subscriptions: dict[str, int] = {}
    for sub in town.SUBSCRIPTIONS:
        cur = await conn.execute(
            """INSERT INTO watch_subscriptions (property_id, owner_id, options, requested_spot, start_date,
                                                created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (properties[sub.property], owners[sub.owner], json.dumps(list(sub.options)), sub.requested_spot,
             sub.start_date.isoformat(), today.isoformat(), today.isoformat()))
        subscriptions[sub.property] = cur.lastrowid
        await audit.record(conn, SYSTEM, "subscription.create", "subscription", cur.lastrowid)
        await conn.executemany(
            """INSERT INTO subscription_options (subscription_id, service_key, start_date, created_at)
               VALUES (?, ?, ?, ?)""",
            [(cur.lastrowid, key, sub.start_date.isoformat(), today.isoformat()) for key in sub.options])
    await _menu(conn, subscriptions, today)
    for author, days_ago, text in town.MESSAGES:  # notice 'none': the demo mails nobody
        side = "owner" if author.startswith("owner") else "office"
        cur = await conn.execute(
            """INSERT INTO owner_messages (owner_id, author_id, author_side, body, created_at)
               VALUES (?, ?, ?, ?, ?)""",
            (owners["owner1"], users[author], side, text, (today - timedelta(days=days_ago)).isoformat() + "T10:00:00+09:00"))
        await audit.record(conn, SYSTEM, "owner_message.create", "owner", owners["owner1"], {"message_id": cur.lastrowid})
    c = town.SURVEY_CONTRACT
    cur = await conn.execute(
        """INSERT INTO survey_contracts (municipality_code, office_code, title, period_start, period_end, rubric_id,
                                         rubric_version, created_at, contract_no, houses_in_area)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (c.municipality_code, c.office_code, c.title, c.period_start.isoformat(), c.period_end.isoformat(),
         c.rubric_id, c.rubric_version, today.isoformat(), c.contract_no, c.houses_in_area))
    contract_id = cur.lastrowid
    await add_to_contract(conn, contract_id, [properties[key] for key in c.properties])
    await audit.record(conn, SYSTEM, "contract.create", "contract", contract_id, {"properties": len(c.properties)})
    event = demo_disaster(today)
    area = Area(municipality_codes=[t.code], districts=list(event.districts))
    cur = await conn.execute(
        """INSERT INTO disaster_events (kind, intensity, title, occurred_at, area, include_surveyed, created_by,
                                        created_at, identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (event.kind, event.intensity, event.title, event.occurred_at.isoformat(), area_json(area),
         int(event.include_surveyed), users["office1"], event.occurred_at.isoformat(),
         identity(event.kind, event.occurred_at, area)))
    await audit.record(conn, SYSTEM, "disaster_event.create", "disaster_event", cur.lastrowid)
    return {"users": users, "properties": properties, "subscriptions": subscriptions, "contract": contract_id,
            "disasters": {event.key: cur.lastrowid}}


async def _candidate_lists(db: Database, contract_id: int) -> None:
    """The town's two candidate lists imported as a clerk would, then the clerk's outcomes for some of the
    candidates the survey did not reach; three addresses stay in the queue. office1 may see the owners."""
    for data in (candidates.water_list(), candidates.ledger_list()):
        await import_candidate_file(db, SYSTEM, None, contract_id, data)

    async def decide(conn):
        admin = await user_by_login(conn, "admin")
        await set_sees_owner_letters(conn, SYSTEM, await user_by_login(conn, "office1"), True)
        contract = await contract_ref(conn, None, contract_id)
        surveyed = set(await surveyed_houses(conn, contract))
        open_ones = [c for c in await candidates_of_contract(conn, None, contract_id)
                     if c.match_state != "ambiguous" and c.property_id not in surveyed]
        for candidate, (outcome, reason) in zip(open_ones[::3], candidates.CLERK_OUTCOMES):
            await set_outcome(conn, SYSTEM, admin, candidate.id, outcome, reason, surveyed)
    await db.write(decide)
async def _owner_survey(conn, contract_id: int, base_url: str) -> None:
    """office1 (allowed to see owners) sends letters to 15 owners: the surveyed houses with 空き家の可能性
    高/中 first, then other candidates with an owner; 8 answer (web and paper), 2 letters come back."""
    office1 = await user_by_login(conn, "office1")
    with_owner = [c.id for c in await candidates_of_contract(conn, office1, contract_id) if c.has_owner]
    chosen = [c for c in await default_selection(conn, office1, contract_id) if c in with_owner]
    others = [c for c in with_owner if c not in chosen]
    await make_letters(conn, SYSTEM, office1, contract_id, (chosen + others)[:owner_survey.LETTERS], base_url)
    letters = [x.id for x in await letters_of_contract(conn, None, contract_id)]
    answers = [(a, "web") for a in owner_survey.WEB_ANSWERS] + [(a, "paper") for a in owner_survey.PAPER_ANSWERS]
    for letter_id, (answer, channel) in zip(letters, answers):
        await save_answer(conn, SYSTEM, letter_id, answer, channel)
    for letter_id, reason in zip(letters[len(answers):], owner_survey.RETURNED):
        await record_return(conn, SYSTEM, letter_id, reason)


async def _menu(conn, subscriptions: dict[str, int], today: date) -> None:
    """The reported prices (marked as such) and a paused subscription."""
    await conn.executemany(
        "INSERT INTO service_prices (service_key, valid_from, yen, reference, created_at) VALUES (?, ?, ?, ?, ?)",
        [(key, town.PRICES_FROM.isoformat(), yen, town.PRICE_REFERENCE, today.isoformat()) for key, yen in town.DEMO_PRICES])
    for house, days_ago in town.PAUSED:
        since = (today - timedelta(days=days_ago)).isoformat()
        await conn.execute("UPDATE watch_subscriptions SET paused = 1 WHERE id = ?", (subscriptions[house],))
        await conn.execute("INSERT INTO subscription_pauses (subscription_id, from_date, created_at) VALUES (?, ?, ?)",
                           (subscriptions[house], since, today.isoformat()))
        await audit.record(conn, SYSTEM, "subscription.pause", "subscription", subscriptions[house], {"from": since})


async def _orders(conn, ids: dict, today: date, watch_version: int) -> None:
    """One-off and quoted work (a 草刈 done, a 不用品整理 quote awaiting the owner, a 臨時見回り to come,
    which is the carrier's watch visit on the owner's day as the office's page makes it)."""
    def day(offset: int | None, start: date = today) -> str | None:
        return None if offset is None else (start + timedelta(days=offset)).isoformat()

    for order in town.ORDERS:
        task_id = None
        start = today
        if order.work_visit:  # the approved work record of the history did it: its task is the order's
            task_id = demo_id(f"task:{order.work_visit}")
            start = work_visit_day(today, order.work_visit)
        if order.service == "extra_visit":
            house = next(h for h in town.PROPERTIES if h.key == order.property)
            task_id = await add_task(
                conn, SYSTEM, id=demo_id(f"extra:{order.property}"), property_id=ids["properties"][order.property],
                kind="watch", rubric_id="watch_basic", rubric_version=watch_version, due_date=day(order.wanted_in),
                assignee_id=ids["users"][house.carrier], note=f"臨時見回り（所有者のご希望日 {day(order.wanted_in)}）: {order.note}",
                options=list(next(s.options for s in town.SUBSCRIPTIONS if s.property == order.property)),
                subscription_id=ids["subscriptions"][order.property])
        cur = await conn.execute(
            """INSERT INTO service_orders (subscription_id, service_key, wanted_on, note, quote_yen, accepted_on,
                                           done_on, done_note, task_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (ids["subscriptions"][order.property], order.service, day(order.wanted_in, start), order.note,
             order.quote_yen, day(order.accepted_in, start), day(order.done_in, start), order.done_note, task_id,
             today.isoformat()))
        await audit.record(conn, SYSTEM, "order.create", "service_order", cur.lastrowid, {"service": order.service})
    for owner, house, kind, service, wanted_in, text, days_ago, reason in town.REQUESTS:
        asked_at = (today - timedelta(days=days_ago)).isoformat() + "T10:00:00+09:00"
        decided_at = (today - timedelta(days=days_ago - 1)).isoformat() + "T10:00:00+09:00" if reason else None
        cur = await conn.execute(
            """INSERT INTO owner_requests (subscription_id, kind, service_key, wanted_on, body, status, decline_reason,
                                           asked_by, asked_at, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (ids["subscriptions"][house], kind, service, day(wanted_in), text, "declined" if reason else "open",
             reason or "", ids["users"][owner], asked_at, ids["users"]["office1"] if reason else None, decided_at))
        await audit.record(conn, SYSTEM, "owner_request.create", "owner_request", cur.lastrowid, {"kind": kind})


def _make_one(job: tuple) -> tuple[str, str, str]:
    visit, slot, path = job
    data = demo_photo(visit, slot)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return visit.key, slot, hashlib.sha256(data).hexdigest()


def _make_photos(history: list[PastVisit], folder: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Every photo of the history, drawn in worker processes into `folder`: (visit, slot) -> (photo id, sha256)."""
    jobs = []
    for visit in history:
        for slot in visit.photo_slots:
            jobs.append((visit, slot, str(folder / f"{demo_id(f'photo:{visit.key}:{slot}')}.jpg")))
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        done = list(pool.map(_make_one, jobs, chunksize=8))
    return {(key, slot): (demo_id(f"photo:{key}:{slot}"), sha) for key, slot, sha in done}


async def _replay(db: Database, rubrics: RubricRegistry, store: PhotoStore, ids: dict, visit: PastVisit,
                  photo_files: dict, drawn: Path) -> None:
    """The visit as it happened: a task, the carrier's push, the photos, the office's review."""
    task_id = demo_id(f"task:{visit.key}")
    house = ids["properties"][visit.property]
    await db.write(add_task, SYSTEM, id=task_id, property_id=house, kind=visit.kind, rubric_id=visit.rubric_id,
                   rubric_version=visit.rubric_version, due_date=visit.started_at.date().isoformat(),
                   assignee_id=ids["users"][visit.carrier], options=list(visit.options), period=visit.period,
                   priority=2 if visit.kind == "disaster" else 0,
                   subscription_id=ids["subscriptions"].get(visit.property) if visit.kind in ("watch", "work") else None,
                   contract_id=ids["contract"] if visit.kind == "survey" else None,
                   disaster_event_id=ids["disasters"].get(visit.disaster) if visit.disaster else None)
    async with db.read() as conn:
        carrier = await user_by_login(conn, visit.carrier)
    inspection = InspectionIn(
        id=demo_id(f"inspection:{visit.key}"), task_id=task_id, property_id=house, rubric_id=visit.rubric_id,
        rubric_version=visit.rubric_version, started_at=visit.started_at, finished_at=visit.finished_at,
        location=Location(visit.lat, visit.lon, visit.accuracy_m), answers=visit.answers, notes=visit.notes,
        photos=[PhotoDeclaration(photo_files[(visit.key, slot)][0], slot, photo_files[(visit.key, slot)][1])
                for slot in visit.photo_slots])
    actor = audit.Actor(carrier.id, f"demo-{visit.carrier}", None)
    op = InspectionSubmit(op_id=demo_id(f"op:{visit.key}"), inspection=inspection)
    [result] = await db.write(apply_push, rubrics, carrier, actor, actor.device_id, [op])
    if result.status != "applied":
        raise RuntimeError(f"demo visit {visit.key} was {result.status}: {result.error}")
    for slot in visit.photo_slots:
        photo_id = photo_files[(visit.key, slot)][0]
        async with db.read() as conn:
            photo = await declared_photo(conn, photo_id)
        files = {kind: drawn / f"{photo_id}.{kind}.jpg" for kind in ("report", "thumb")}
        files["original"] = drawn / f"{photo_id}.jpg"
        facts = await asyncio.to_thread(ingest, files["original"], files["report"], files["thumb"])
        flags = evidence_flags(facts, started_at=visit.started_at, finished_at=visit.finished_at,
                               tolerance=timedelta(minutes=30), property_lat=photo.property_lat,
                               property_lon=photo.property_lon, max_distance_m=150.0,
                               device_lat=visit.lat, device_lon=visit.lon)
        size = files["original"].stat().st_size
        await store.keep(photo_id, files)
        await db.write(record_arrival, actor, photo, size, facts, flags)
    if visit.status == "approved":
        clerk = "office1" if town.property_by_key(visit.property).office_code == town.OFFICE_1 else "office2"
        reviewer = ids["users"][clerk]
        target = ReviewTarget(inspection.id, "submitted", carrier.id, house)
        await db.write(record_review, audit.Actor(reviewer, None, None), target, reviewer, "approve", "")


async def _open_tasks(conn, ids: dict, today: date) -> None:
    for task in open_tasks(today):
        key = f"open:{task.kind}:{task.property}:{task.due_date}"
        await add_task(
            conn, SYSTEM, id=demo_id(key), property_id=ids["properties"][task.property], kind=task.kind,
            rubric_id=task.rubric_id, rubric_version=task.rubric_version, due_date=task.due_date.isoformat(),
            assignee_id=ids["users"][task.carrier], priority=task.priority, options=list(task.options),
            note=task.note, period=task.period,
            subscription_id=ids["subscriptions"].get(task.property) if task.kind == "watch" else None,
            contract_id=ids["contract"] if task.kind == "survey" else None,
            disaster_event_id=ids["disasters"].get(task.disaster) if task.disaster else None)
