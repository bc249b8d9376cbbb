"""Password guessing is slowed per (login, address) and per address, never at the account's owner's expense.

Failures are counted in the database, so several server processes on one database share them."""

from __future__ import annotations

import io
import json

import pytest
from litestar.testing import TestClient

from server.core import clock
from server.app import create_app
from tests.support.peers import FakeClock, PeerFromHeader, peer
from tests.support import sql
from tests.support.world import PASSWORD

ATTACKER = "203.0.113.9"
VICTIM = "198.51.100.7"
LOGIN = "/api/v1/auth/login"


@pytest.fixture
def fake_clock(monkeypatch):
    fake = FakeClock(clock.now())
    monkeypatch.setattr("server.core.clock.now", fake)
    return fake


@pytest.fixture
def web(settings, world):
    with TestClient(PeerFromHeader(create_app(settings))) as c:
        yield c


def attempt(client, login, password, address):
    return client.post(LOGIN, json={"login": login, "password": password}, headers=peer(address))


def fail(client, login, address, times=1):
    for _ in range(times):
        assert attempt(client, login, "wrong-guess-1", address).status_code == 401


def test_the_right_password_from_a_clean_address_works_while_someone_else_guesses(web):
    fail(web, "kato", ATTACKER, times=5)
    assert attempt(web, "kato", PASSWORD, ATTACKER).status_code == 429
    for _ in range(3):
        assert attempt(web, "kato", "wrong-guess-1", ATTACKER).status_code == 429
    assert attempt(web, "kato", PASSWORD, VICTIM).status_code == 200


def test_the_guessing_address_waits_longer_after_each_further_failure(web, fake_clock):
    fail(web, "kato", ATTACKER, times=5)
    waits = []
    for _ in range(3):
        refused = attempt(web, "kato", PASSWORD, ATTACKER)
        assert refused.status_code == 429
        waits.append(int(refused.headers["retry-after"]))
        fake_clock.advance(seconds=waits[-1])
        fail(web, "kato", ATTACKER)
    assert waits == [30, 60, 120]


def test_a_correct_password_after_the_wait_clears_that_addresses_count(web, fake_clock):
    fail(web, "kato", ATTACKER, times=5)
    fake_clock.advance(seconds=30)
    assert attempt(web, "kato", PASSWORD, ATTACKER).status_code == 200
    fail(web, "kato", ATTACKER, times=4)  # four free tries again, not a longer wait
    assert attempt(web, "kato", PASSWORD, ATTACKER).status_code == 200


def test_a_few_typos_by_different_people_behind_one_address_lock_nobody_out(web):
    office_nat = "192.0.2.50"
    for login in ("aoki", "ueda", "kudo", "mori", "admin", "ono"):
        fail(web, login, office_nat)
    assert attempt(web, "kato", PASSWORD, office_nat).status_code == 200


def test_spraying_many_logins_from_one_address_is_slowed_by_its_own_higher_threshold(web):
    for n in range(20):
        fail(web, f"guess{n:02d}", ATTACKER)
    refused = attempt(web, "aoki", PASSWORD, ATTACKER)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) == 30
    assert attempt(web, "aoki", PASSWORD, VICTIM).status_code == 200


def test_two_server_processes_on_one_database_share_the_counters(settings, world):
    with TestClient(PeerFromHeader(create_app(settings))) as first, \
            TestClient(PeerFromHeader(create_app(settings))) as second:
        fail(first, "kato", ATTACKER, times=5)
        assert attempt(second, "kato", PASSWORD, ATTACKER).status_code == 429
        assert attempt(second, "kato", PASSWORD, VICTIM).status_code == 200


def test_the_refusal_says_in_japanese_when_to_try_again(web, fake_clock):
    fake_clock.moment = fake_clock.moment.replace(hour=9, minute=0, second=40)  # 18:00:40 JST
    fail(web, "kato", ATTACKER, times=5)
    refused = attempt(web, "kato", PASSWORD, ATTACKER)
    body = refused.json()
    assert refused.headers["retry-after"] == "30"
    assert body["code"] == "too_many_attempts" and body["details"]["retry_after"] == 30
    assert "18:02 以降" in body["message"] and "30秒" in body["message"]


def test_every_lockout_is_in_the_audit_log(web, settings):
    fail(web, "kato", ATTACKER, times=5)
    rows = sql.rows(settings.db, "SELECT client_addr, entity_id, details FROM audit_log WHERE action = 'auth.lockout'")
    assert len(rows) == 1
    address, login, details = rows[0]
    assert (address, login) == (ATTACKER, "kato")
    assert json.loads(details) == {"scope": "login", "address": ATTACKER, "failures": 5, "wait_seconds": 30}


def test_old_counters_are_forgotten_and_pruned(web, settings, fake_clock):
    fail(web, "kato", ATTACKER, times=5)
    fake_clock.advance(days=2)
    fail(web, "aoki", VICTIM)
    kept = sql.rows(settings.db, "SELECT scope, login, address FROM login_failures ORDER BY scope")
    assert kept == [("address", "", VICTIM), ("login", "aoki", VICTIM)]
    assert attempt(web, "kato", PASSWORD, ATTACKER).status_code == 200


def test_a_password_reset_lets_the_user_sign_in_again_at_once(web, world, monkeypatch):
    from server.ops.cli import main

    fail(web, "kato", ATTACKER, times=5)
    monkeypatch.setattr("sys.stdin", io.StringIO("kato-new-secret-2026\n"))
    assert main(["user", "password", "--db", str(world.db_path), "--login", "kato"]) == 0
    assert attempt(web, "kato", "kato-new-secret-2026", ATTACKER).status_code == 200


def test_an_ipv6_client_counts_by_its_64_network_so_hopping_addresses_does_not_reset_the_count(web):
    for n in range(1, 6):
        fail(web, "kato", f"2001:db8:1:2::{n}")
    assert attempt(web, "kato", PASSWORD, "2001:db8:1:2::99").status_code == 429
    assert attempt(web, "kato", PASSWORD, "2001:db8:1:3::1").status_code == 200
