"""The access matrix: every rule of server/users/access.py, evaluated directly over one database built
through the API, for every persona and record. Fast enough to run against each mutant of
access.py (tests/mutate_access.py); tests/api/test_access_rules.py runs it against the real one.

Records, after the house 一番町1-1 changed hands (tests/support/handover.py):
  oct        Ono's approved watch visit on the last day of her subscription
  nov        Oda's approved watch visit on the first day of his (8 am JST: still October in UTC)
  north      Kato's watch visit at Oda's house 神田三崎町3-3, returned by Kudo
  survey_ok  Aoki's approved survey of 二番町2-2
  survey_new Aoki's survey of 二番町2-2 waiting for the clerk
  quake      Kato's approved post-disaster check of Oda's house 神田三崎町3-3 after event A
Houses: watched (一番町1-1), surveyed (二番町2-2), north (神田三崎町3-3), and reported (a house Aoki
reported himself, 中央局's area, no task). Contracts: 9 (千代田区, 中央局), 10 (中央区, 北局).
Events: A registered by Ueda (and again by Kudo, whose house got the check), B registered by the
admin, C registered by Kudo (both: Kudo's house only). A persona with a role the rules do not know
("nobody") sees nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from litestar.testing import TestClient

from server.app import create_app
from server.core.settings import Settings
from server.users.queries import User
from tests.support import sql
from tests.support.client import Session
from tests.support.field import Visit, survey_visit
from tests.support.handover import hand_over
from tests.support.world import MUNICIPALITY, build_world

PERSONAS = ("aoki", "kato", "ueda", "kudo", "mori", "ono", "oda", "admin", "nobody")
ALL = {"oct", "nov", "north", "survey_ok", "survey_new", "quake"}
INSPECTIONS = {
    "aoki": {"oct", "nov", "survey_ok", "survey_new"}, "kato": {"north", "quake"},
    "ueda": {"oct", "nov", "survey_ok", "survey_new"}, "kudo": {"north", "quake"},
    "mori": {"survey_ok"}, "ono": {"oct"}, "oda": {"nov", "quake"}, "admin": ALL,
}
PROPERTIES = {
    "aoki": {"watched", "surveyed", "reported"}, "kato": {"north"}, "ueda": {"watched", "surveyed", "reported"},
    "kudo": {"north"}, "mori": {"watched", "surveyed", "north", "reported"}, "ono": {"watched"},
    "oda": {"watched", "north"}, "admin": {"watched", "surveyed", "north", "reported"},
}
# Urgent alerts raised by each visit: the staff as for the house, an owner those found on a day of
# their own period, the municipality never (watch data)
ALERTS = {**{login: INSPECTIONS[login] for login in ("aoki", "kato", "ueda", "kudo", "ono", "admin")},
          "oda": {"nov", "north", "quake"}}
CONTRACTS = {"ueda": {9}, "kudo": {10}, "mori": {9}, "admin": {9, 10}}
EVENTS_SEEN = {"ueda": {"A"}, "kudo": {"A", "B", "C"}, "admin": {"A", "B", "C"}}
EVENTS_EDITED = {"ueda": {"A"}, "kudo": {"C"}, "admin": {"A", "B", "C"}}
COVERING_OWNER = {"oct": "ono", "nov": "oda", "north": "oda", "survey_ok": None, "survey_new": None,
                  "quake": "oda"}
SUBSCRIPTION_VISITS = {"ono@watched": {"oct"}, "oda@watched": {"nov"}, "oda@north": {"north", "quake"}}
APPROVED_ONLY = {"mori", "ono", "oda"}
# Who may use which door (server/http/guards.py): the roles a door names -> the personas let through
DOORS = {("office",): {"ueda", "kudo", "admin"}, ("office", "municipality"): {"ueda", "kudo", "mori", "admin"},
         ("carrier",): {"aoki", "kato"}, ("owner", "office"): {"ono", "oda", "ueda", "kudo", "admin"}}
SUBSCRIPTIONS = {"ono": {"ono@watched"}, "oda": {"oda@watched", "oda@north"}, "ueda": {"ono@watched", "oda@watched"},
                 "kudo": {"oda@north"}, "admin": {"ono@watched", "oda@watched", "oda@north"}}
# Photos sent with a reported house (no inspection): the office of the area, admin, the reporting carrier
REPORTED_PHOTOS = {"ueda": {"watched", "surveyed", "reported"}, "kudo": {"north"},
                   "admin": {"watched", "surveyed", "north", "reported"}, "aoki": {"reported"}}


def build(directory: Path, db: Path | str | None = None) -> dict:
    """The database (a SQLite file in `directory` unless `db` names another, e.g. a PostgreSQL URL),
    and the names of its records: {"db", "inspections", "properties", "events", ...}."""
    settings = Settings(db=db or directory / "akiya.sqlite3", data_dir=directory / "data")
    world = build_world(settings.db)
    with TestClient(create_app(settings)) as client:
        sessions: dict[str, Session] = {}

        def as_(login):
            return sessions.setdefault(login, Session(client, login))

        handover = hand_over(world, as_)
        survey_ok, survey_new = survey_visit(world), _survey_task_visit(world)
        north = Visit(property_id=world.properties["north"], rubric_id="watch_basic", task_id=world.tasks["north"],
                      photo_seed=3, lat=35.7000, lon=139.7550)
        as_("aoki").push([survey_ok.op(), survey_new.op()])
        as_("kato").push([north.op()])
        for visit, carrier in ((survey_ok, "aoki"), (survey_new, "aoki"), (north, "kato")):
            assert set(visit.upload_all(as_(carrier))) == {201}
        as_("ueda").post(f"/api/v1/inspections/{survey_ok.id}/review", json={"decision": "approve"})
        as_("kudo").post(f"/api/v1/inspections/{north.id}/review", json={"decision": "return", "comment": "写真不足"})
        event = {"kind": "earthquake", "intensity": "震度5強", "occurred_at": "2026-11-20T03:14:00+09:00",
                 "area": {"municipality_codes": [MUNICIPALITY]}}
        a = as_("ueda").post("/api/v1/disaster-events", json=event).json()["id"]
        assert as_("kudo").post("/api/v1/disaster-events", json=event).json()["id"] == a
        b = as_("admin").post("/api/v1/disaster-events", json={**event, "kind": "typhoon"}).json()["id"]
        c = as_("kudo").post("/api/v1/disaster-events", json={**event, "kind": "snow"}).json()["id"]
        quake = _disaster_check(world, a)
        assert as_("kato").push([quake.op()])[0]["status"] == "applied"
        assert set(quake.upload_all(as_("kato"))) == {201}
        as_("kudo").post(f"/api/v1/inspections/{quake.id}/review", json={"decision": "approve"})
    db = settings.db
    sql.execute(db, "INSERT INTO municipalities VALUES ('131024', '中央区', '東京都')")
    for contract_id, municipality, office in ((9, MUNICIPALITY, "10001"), (10, "131024", "10002")):
        sql.execute(db, """INSERT INTO survey_contracts (id, municipality_code, office_code, title, period_start,
                           period_end, rubric_id, rubric_version, created_at)
                           VALUES (?, ?, ?, '調査', '2026-01-01', '2026-12-31', 'municipal_survey', 1, '2026-01-01')""",
                    contract_id, municipality, office)
    reported = str(uuid.uuid4())
    sql.execute(db, """INSERT INTO properties (id, municipality_code, office_code, address, reported_by, created_at,
                       updated_at) VALUES (?, ?, '10001', '東京都千代田区一番町9-9', ?, '2026-11-01', '2026-11-01')""",
                reported, MUNICIPALITY, world.users["aoki"])
    north_sub = sql.value(db, "SELECT id FROM watch_subscriptions WHERE property_id = ?", world.properties["north"])
    return {"db": settings.db, "owners": world.owners, "properties": {**world.properties, "reported": reported},
            "events": {"A": a, "B": b, "C": c},
            "inspections": {"oct": handover.october.id, "nov": handover.november.id, "north": north.id,
                            "survey_ok": survey_ok.id, "survey_new": survey_new.id, "quake": quake.id},
            "subscriptions": {"ono@watched": handover.subscriptions["ono"],
                              "oda@watched": handover.subscriptions["oda"], "oda@north": north_sub}}


def _survey_task_visit(world) -> Visit:
    """A second survey of 二番町2-2, on a task of its own."""
    task_id = str(uuid.uuid4())
    sql.execute(world.db_path, """INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, due_date,
                assignee_id, created_at, updated_at) VALUES (?, ?, 'survey', 'municipal_survey', 1, '2026-11-30', ?,
                '2026-11-01', '2026-11-01')""", task_id, world.properties["surveyed"], world.users["aoki"])
    return Visit(property_id=world.properties["surveyed"], rubric_id="municipal_survey", task_id=task_id, photo_seed=4,
                 lat=35.6880, lon=139.7380)


def _disaster_check(world, event_id: int) -> Visit:
    task_id = sql.value(world.db_path, "SELECT id FROM tasks WHERE disaster_event_id = ? AND property_id = ?",
                        event_id, world.properties["north"])
    return Visit(property_id=world.properties["north"], rubric_id="post_disaster", task_id=task_id, photo_seed=5,
                 lat=35.7000, lon=139.7550)


def failures(access, built: dict) -> list[str]:
    """Every way the module `access` departs from the matrix (empty: it follows it)."""
    problems: list[str] = []
    names = {v: k for k, v in built["inspections"].items()}
    houses = {v: k for k, v in built["properties"].items()}
    events = {v: k for k, v in built["events"].items()}
    owners = {v: k for k, v in built["owners"].items()}
    subscriptions = {v: k for k, v in built["subscriptions"].items()}

    def check(what, got, expected):
        if got != expected:
            problems.append(f"{what}: {sorted(got, key=str)} != {sorted(expected, key=str)}")

    with sql.reading(built["db"]) as query:
        users = {r[1]: User(*r) for r in query(
            "SELECT id, login, name, role, office_code, municipality_code, owner_id FROM users")}
        users["nobody"] = User(999, "nobody", "不明", "unknown", "10001", MUNICIPALITY, built["owners"]["ono"])
        for login in PERSONAS:
            user = users[login]
            cond, params = access.inspection_condition(user)
            rows = query(f"""SELECT i.id FROM inspections i JOIN properties p ON p.id = i.property_id
                                    WHERE {cond}""", *params)
            check(f"{login} inspections", {names[r[0]] for r in rows}, INSPECTIONS.get(login, set()))
            cond, params = access.alert_condition(user)
            rows = query(f"""SELECT i.id FROM inspections i JOIN properties p ON p.id = i.property_id
                                    WHERE {cond}""", *params)
            check(f"{login} alerts", {names[r[0]] for r in rows}, ALERTS.get(login, set()))
            cond, params = access.property_condition(user)
            rows = query(f"SELECT p.id FROM properties p WHERE {cond}", *params)
            check(f"{login} properties", {houses[r[0]] for r in rows}, PROPERTIES.get(login, set()))
            cond, params = access.contract_condition(user)
            rows = query(f"SELECT c.id FROM survey_contracts c WHERE {cond}", *params)
            check(f"{login} contracts", {r[0] for r in rows}, CONTRACTS.get(login, set()))
            for rule, expected in ((access.event_condition, EVENTS_SEEN), (access.event_edit_condition, EVENTS_EDITED)):
                cond, params = rule(user)
                rows = query(f"SELECT e.id FROM disaster_events e WHERE {cond}", *params)
                check(f"{login} {rule.__name__}", {events[r[0]] for r in rows}, expected.get(login, set()))
            approved_only = login in APPROVED_ONLY
            check(f"{login} statuses", set(access.visible_statuses(user)),
                  {"approved"} if approved_only else {"submitted", "approved"})
            check(f"{login} review comment", {access.sees_review_comment(user)}, {not approved_only})
            for roles, allowed in DOORS.items():
                check(f"{login} may {roles}", {access.may(user, roles)}, {login in allowed})
            check(f"{login} every office", {access.acts_for_every_office(user)}, {login == "admin"})
            check(f"{login} acting office", {access.acting_office(user)},
                  {None if login == "admin" else user.office_code})
            check(f"{login} owner scope", {access.owner_scope(user)},
                  {built["owners"][login] if login in ("ono", "oda") else None})
            check(f"{login} never refused for glyphs", {access.prints_despite_missing_glyphs(user)},
                  {login in ("ono", "oda")})
            check(f"{login} sees reported photo", {access.sees_reported_photo(user)}, {login in ("ueda", "kudo", "admin")})
            cond, params = access.subscription_condition(user)
            rows = query(f"""SELECT s.id FROM watch_subscriptions s JOIN properties p ON p.id = s.property_id
                                    WHERE {cond}""", *params)
            check(f"{login} subscriptions", {subscriptions[r[0]] for r in rows}, SUBSCRIPTIONS.get(login, set()))
            cond, params = access.reported_photo_condition(user)
            rows = query(f"SELECT p.id FROM properties p WHERE {cond}", *params)
            check(f"{login} reported photos", {houses[r[0]] for r in rows}, REPORTED_PHOTOS.get(login, set()))
        rows = query(f"SELECT i.id, {access.covering_owner('i')} FROM inspections i")
        check("covering owners", {(names[r[0]], owners.get(r[1])) for r in rows}, set(COVERING_OWNER.items()))
        for key, sub_id in built["subscriptions"].items():
            cond, params = access.subscription_visit_condition(sub_id)
            rows = query(f"SELECT i.id FROM inspections i WHERE {cond}", *params)
            check(f"{key} visits", {names[r[0]] for r in rows}, SUBSCRIPTION_VISITS[key])
    return problems
