"""`akiya seed-demo`: a living town a newcomer can sign into."""

import asyncio
import sqlite3

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.ops.cli import main
from server.demo.seed import DEMO_PASSWORD, NotEmpty, seed_demo
from server.core.settings import Settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    settings = Settings(db=root / "demo.sqlite3", data_dir=root / "data")
    asyncio.run(seed_demo(settings))
    return settings


def _one(settings, sql):
    with sqlite3.connect(settings.db) as conn:
        return conn.execute(sql).fetchall()


def test_the_demo_town_has_its_houses_people_and_contract(demo):
    assert _one(demo, "SELECT count(*) FROM properties") == [(60,)]
    assert _one(demo, "SELECT count(*) FROM post_offices") == [(2,)]
    assert _one(demo, "SELECT count(DISTINCT owner_id) FROM watch_subscriptions") == [(10,)]
    assert _one(demo, "SELECT count(*) FROM contract_properties") == [(40,)]
    roles = dict(_one(demo, "SELECT role, count(*) FROM users GROUP BY role"))
    assert roles == {"admin": 1, "office": 2, "municipality": 1, "carrier": 4, "owner": 10}


def test_every_carrier_has_survey_and_watch_work_due_today_and_carrier1_a_disaster_check(demo):
    rows = _one(demo, """SELECT u.login, t.kind FROM tasks t JOIN users u ON u.id = t.assignee_id
                         WHERE t.status = 'open' AND t.due_date = date('now', '+9 hours')""")
    kinds = {}
    for login, kind in rows:
        kinds.setdefault(login, set()).add(kind)
    for carrier in ("carrier1", "carrier2", "carrier3", "carrier4"):
        assert {"survey", "watch"} <= kinds[carrier]
    assert "disaster" in kinds["carrier1"]


def test_a_month_of_past_inspections_with_every_photo_received(demo):
    statuses = dict(_one(demo, "SELECT status, count(*) FROM inspections GROUP BY status"))
    assert statuses.get("approved", 0) > 0 and statuses.get("submitted", 0) > 0
    assert _one(demo, "SELECT count(*) FROM photos WHERE received_at IS NULL") == [(0,)]
    stored = _one(demo, "SELECT id FROM photos LIMIT 1")[0][0]
    assert (demo.photos_dir / "report" / stored[:2] / f"{stored}.jpg").exists()


def test_every_demo_login_signs_in_with_the_demo_password(demo):
    with TestClient(create_app(demo)) as client:
        for login in ("admin", "office1", "office2", "town1", "carrier1", "carrier4", "owner1", "owner10"):
            response = client.post("/api/v1/auth/login", json={"login": login, "password": DEMO_PASSWORD})
            assert response.status_code == 200, login
        token = client.post("/api/v1/auth/login", json={"login": "carrier1", "password": DEMO_PASSWORD}).json()["token"]
        pulled = client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}).json()
        assert pulled["tasks"][0]["kind"] == "disaster"


def test_seeding_a_database_that_has_data_is_refused(demo, capsys):
    with pytest.raises(NotEmpty):
        asyncio.run(seed_demo(demo))
    assert main(["seed-demo", "--db", str(demo.db), "--data-dir", str(demo.data_dir)]) == 2
    assert "空ではありません" in capsys.readouterr().err


def test_seed_demo_marks_the_database_as_the_demo_and_demo_mode_runs_on_it(demo):
    assert [row[0] for row in _one(demo, "SELECT key FROM database_meta")] == ["demo"]
    with TestClient(create_app(demo.model_copy(update={"demo": True}))) as client:
        assert DEMO_PASSWORD in client.get("/office/login").text


def test_the_demo_contract_has_two_candidate_lists_merged_per_house_with_a_queue_and_owners(demo):
    assert _one(demo, "SELECT sum(row_count), count(*) FROM candidate_imports") == [(60, 2)]
    assert {s for (s,) in _one(demo, "SELECT DISTINCT source FROM candidate_reasons")} == {"水道", "課税台帳"}
    several = _one(demo, """SELECT count(*) FROM (SELECT candidate_id FROM candidate_reasons GROUP BY candidate_id
                             HAVING count(*) > 1) AS merged""")
    assert several[0][0] >= 8  # houses on both lists are one candidate each
    states = dict(_one(demo, "SELECT match_state, count(*) FROM survey_candidates GROUP BY match_state"))
    assert states["ambiguous"] >= 3 and states["new"] >= 1 and states["linked"] > 30
    assert _one(demo, "SELECT count(*) FROM candidate_owners WHERE postal_flag <> ''") == [(2,)]
    assert _one(demo, "SELECT count(*) FROM survey_candidates WHERE outcome IS NOT NULL") == [(8,)]


def test_the_demo_has_an_owners_request_in_the_queue_and_one_declined_with_its_reason(demo):
    rows = _one(demo, """SELECT u.login, r.kind, r.status, r.decline_reason <> '' FROM owner_requests r
                         JOIN users u ON u.id = r.asked_by ORDER BY r.id""")
    assert rows == [("owner2", "spot", "open", 0), ("owner1", "quote", "declined", 1)]


def test_the_demo_contract_sent_letters_to_15_owners_with_8_answers_and_2_returned(demo):
    assert _one(demo, "SELECT count(*) FROM owner_letters") == [(15,)]
    assert dict(_one(demo, "SELECT channel, count(*) FROM owner_answers GROUP BY channel")) == {"web": 5, "paper": 3}
    assert sorted(r for (r,) in _one(demo, "SELECT returned_reason FROM owner_letters WHERE returned_reason <> ''")) == [
        "あて所に尋ねあたりません", "転居先不明"]


def test_the_demo_mowing_order_was_done_by_an_approved_work_record_with_before_and_after_photos(demo):
    [(done_on, kind, status, started, slots)] = _one(demo, """
        SELECT x.done_on, i.kind, i.status, i.started_at,
               (SELECT group_concat(slot, ' ') FROM (SELECT slot FROM photos WHERE inspection_id = i.id ORDER BY slot))
        FROM service_orders x JOIN inspections i ON i.task_id = x.task_id WHERE x.service_key = 'mowing'""")
    assert (kind, status, done_on) == ("work", "approved", started[:10])
    assert slots == "mowing_back_yard_after mowing_back_yard_before mowing_front_yard_after mowing_front_yard_before"
