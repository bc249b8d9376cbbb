"""A device that signed in before carries a device cookie and is not held back by others' guessing
(OWASP, "Slow Down Online Guessing Attacks with Device Cookies"); guessing behind one address waits
minutes, not an hour; guessing one login from many addresses is slowed all the same."""

from __future__ import annotations

import json

import pytest
from litestar.testing import TestClient

from server.core import clock
from server.app import create_app
from server.auth import devices
from tests.office.pages import csrf_token
from tests.support import sql
from tests.support.peers import FakeClock, PeerFromHeader, peer
from tests.support.world import PASSWORD

CGNAT = "100.64.0.1"  # a mobile carrier's shared address: phones and a guesser behind it
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


class Device:
    """One phone or PC at an address, with its own cookie jar (on the shared test client)."""

    def __init__(self, client, address: str):
        self.client, self.address, self.cookie = client, address, None

    def sign_in(self, login: str, password: str, path: str = LOGIN):
        self.client.cookies.clear()
        if self.cookie:
            self.client.cookies.set(devices.COOKIE, self.cookie)
        if path == LOGIN:
            response = self.client.post(path, json={"login": login, "password": password}, headers=peer(self.address))
        else:
            form = {"login": login, "password": password, "_csrf_token": csrf_token(self.client)}
            response = self.client.post(path, data=form, headers=peer(self.address), follow_redirects=False)
        self.cookie = response.cookies.get(devices.COOKIE, self.cookie)
        self.client.cookies.clear()
        return response

    def fail(self, login: str, times: int = 1) -> None:
        for _ in range(times):
            assert self.sign_in(login, "wrong-guess-1").status_code == 401


def spray(client, address: str, count: int = 20) -> None:
    """Made-up logins from one address until the address itself must wait."""
    guesser = Device(client, address)
    for n in range(count):
        guesser.fail(f"nobody{n:02d}")


def test_a_phone_that_signed_in_before_is_not_locked_out_by_guessing_behind_its_shared_address(web):
    phone = Device(web, CGNAT)
    assert phone.sign_in("kato", PASSWORD).status_code == 200
    spray(web, CGNAT)
    assert Device(web, CGNAT).sign_in("kato", PASSWORD).status_code == 429  # a new phone must wait
    assert phone.sign_in("kato", PASSWORD).status_code == 200


def test_the_device_cookie_is_http_only_same_site_and_long_lived(web):
    response = Device(web, CGNAT).sign_in("kato", PASSWORD)
    header = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(devices.COOKIE))
    assert "HttpOnly" in header and "samesite=strict" in header.lower() and "Max-Age=15552000" in header


def test_a_device_cookie_of_another_login_gives_no_trust(web):
    guesser = Device(web, CGNAT)
    assert guesser.sign_in("aoki", PASSWORD).status_code == 200  # the guesser's own account
    spray(web, CGNAT)
    assert guesser.sign_in("kato", PASSWORD).status_code == 429


def test_a_forged_device_cookie_gives_no_trust(web):
    spray(web, CGNAT)
    forged = Device(web, CGNAT)
    forged.cookie = "A" * 43
    assert forged.sign_in("kato", PASSWORD).status_code == 429


def test_the_address_counter_waits_at_most_five_minutes(web, fake_clock):
    spray(web, CGNAT)
    waits = []
    for n in range(8):
        refused = Device(web, CGNAT).sign_in("kato", PASSWORD)
        assert refused.status_code == 429
        waits.append(int(refused.headers["retry-after"]))
        fake_clock.advance(seconds=waits[-1])
        Device(web, CGNAT).fail(f"later{n}")
    assert waits == [30, 60, 120, 240, 300, 300, 300, 300]


def test_guessing_one_login_from_many_addresses_is_slowed_but_its_phone_still_signs_in(web, fake_clock):
    phone = Device(web, "198.51.100.7")
    assert phone.sign_in("kato", PASSWORD).status_code == 200
    for n in range(10):  # ten /64 networks of one IPv6 /48, one guess each
        Device(web, f"2001:db8:0:{n:x}::1").fail("kato")
    refused = Device(web, "2001:db8:0:ff::1").sign_in("kato", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) == 30
    assert phone.sign_in("kato", PASSWORD).status_code == 200
    assert Device(web, "2001:db8:0:ff::1").sign_in("aoki", PASSWORD).status_code == 200  # other logins unaffected


def test_the_per_login_counter_over_all_addresses_backs_off_up_to_fifteen_minutes(web, fake_clock):
    for n in range(10):
        Device(web, f"203.0.113.{n + 1}").fail("kato")
    waits = []
    for n in range(8):
        refused = Device(web, f"192.0.2.{n + 1}").sign_in("kato", PASSWORD)
        assert refused.status_code == 429
        waits.append(int(refused.headers["retry-after"]))
        fake_clock.advance(seconds=waits[-1])
        Device(web, f"192.0.2.{n + 100}").fail("kato")
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]


def test_a_trusted_device_that_keeps_failing_waits_on_its_own(web, fake_clock):
    phone, other = Device(web, CGNAT), Device(web, "198.51.100.7")
    assert phone.sign_in("kato", PASSWORD).status_code == 200
    assert other.sign_in("kato", PASSWORD).status_code == 200
    phone.fail("kato", times=5)
    refused = phone.sign_in("kato", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) == 30
    assert other.sign_in("kato", PASSWORD).status_code == 200
    assert Device(web, CGNAT).sign_in("kato", PASSWORD).status_code == 200  # its address was not counted
    fake_clock.advance(seconds=30)
    assert phone.sign_in("kato", PASSWORD).status_code == 200
    phone.fail("kato", times=4)  # a success cleared the device's count
    assert phone.sign_in("kato", PASSWORD).status_code == 200


def test_a_shared_office_pc_is_trusted_for_each_login_that_signed_in_on_it(web):
    office_pc = Device(web, CGNAT)
    assert office_pc.sign_in("ueda", PASSWORD).status_code == 200
    assert office_pc.sign_in("aoki", PASSWORD).status_code == 200
    spray(web, CGNAT)
    assert office_pc.sign_in("ueda", PASSWORD).status_code == 200
    assert office_pc.sign_in("aoki", PASSWORD).status_code == 200


def test_the_office_sign_in_page_gives_and_honours_the_same_device_cookie(web):
    pc = Device(web, CGNAT)
    assert pc.sign_in("ueda", PASSWORD, path="/office/login").status_code == 303
    assert pc.cookie
    spray(web, CGNAT)
    assert Device(web, CGNAT).sign_in("ueda", PASSWORD, path="/office/login").status_code == 429
    assert pc.sign_in("ueda", PASSWORD, path="/office/login").status_code == 303


def test_only_a_hash_of_the_device_token_is_stored_and_a_device_lockout_is_audited_without_it(web, settings):
    phone = Device(web, CGNAT)
    assert phone.sign_in("kato", PASSWORD).status_code == 200
    stored = sql.rows(settings.db, "SELECT token_hash FROM login_devices")
    assert len(stored) == 1 and phone.cookie not in stored[0][0]
    phone.fail("kato", times=5)
    (details,), = sql.rows(settings.db, "SELECT details FROM audit_log WHERE action = 'auth.lockout'")
    assert json.loads(details) == {"scope": "device", "address": CGNAT, "failures": 5, "wait_seconds": 30}


def test_two_server_processes_on_one_database_honour_each_others_device_cookies(settings, world):
    with TestClient(PeerFromHeader(create_app(settings))) as first, \
            TestClient(PeerFromHeader(create_app(settings))) as second:
        phone = Device(first, CGNAT)
        assert phone.sign_in("kato", PASSWORD).status_code == 200
        spray(first, CGNAT)
        phone.client = second
        assert phone.sign_in("kato", PASSWORD).status_code == 200
        assert Device(second, CGNAT).sign_in("kato", PASSWORD).status_code == 429
