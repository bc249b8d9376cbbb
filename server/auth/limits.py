"""Slow down password guessing without letting anyone lock another person out.

Follows OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a device that signed in
before (server/auth/devices.py) is trusted for that login; every other client is untrusted.
Failed sign-ins are counted in the database (table login_failures), so every server process on
one database sees the same counts, under these keys:

- untrusted clients:
  - a login tried from one address: 5 free tries, then a wait of 30 s that doubles with each
    further failure (up to 15 minutes); a correct password clears this count;
  - an address, over every login tried from it: a higher threshold (20), then the same
    back-off up to 5 minutes only: an office router or a mobile carrier's CGNAT puts many
    people behind one address, so spraying is slowed without locking them out for long;
  - a login over every address ('account'): 10 free tries, then up to 15 minutes: guessing
    spread over many addresses (an IPv6 /48 holds 65,536 /64s) is slowed all the same;
- a trusted device counts only its own failures for that login ('device'): 5 free tries, then
  up to 15 minutes. Nobody else's guessing holds it back.

A count is forgotten (and its row deleted) a while after its last wait ended: a day for a
login, an account or a device, an hour for an address. IPv6 addresses count by their /64
network, which one client usually holds whole.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from server.core import audit, clock
from server.core import problems
from server.core.errors import AppError
from server.observe.metrics import LOGIN_THROTTLE


@dataclass(frozen=True)
class Rule:
    scope: str
    free: int          # failures before any wait
    first_wait: int    # seconds after the `free`-th failure; doubled with each further one
    max_wait: int      # seconds
    forget_after: int  # seconds after the wait ended without a new failure

    def wait(self, failures: int) -> int:
        if failures < self.free:
            return 0
        return min(self.first_wait * 2 ** min(failures - self.free, 20), self.max_wait)


PER_LOGIN = Rule("login", free=5, first_wait=30, max_wait=900, forget_after=86400)
PER_ADDRESS = Rule("address", free=20, first_wait=30, max_wait=300, forget_after=3600)
PER_ACCOUNT = Rule("account", free=10, first_wait=30, max_wait=900, forget_after=86400)
PER_DEVICE = Rule("device", free=5, first_wait=30, max_wait=900, forget_after=86400)


def address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _keys(login: str, address: str, device: str | None) -> tuple[tuple[Rule, str, str], ...]:
    """(rule, login, address) of every count an attempt meets: a trusted device's own, or the three
    of an untrusted client."""
    if device:
        return ((PER_DEVICE, login, device),)
    key = address_key(address)
    return (PER_LOGIN, login, key), (PER_ADDRESS, "", key), (PER_ACCOUNT, login, "")


async def wait_seconds(db, login: str, address: str, device: str | None = None) -> int:
    """Seconds before this login may be tried from this client (0: go ahead). `device`: the token
    hash by which the client is trusted for this login (server/auth/devices.py), or None."""
    now = clock.now()
    keys = _keys(login, address, device)
    where = " OR ".join("(scope = ? AND login = ? AND address = ?)" for _ in keys)
    async with db.read() as conn:
        async with conn.execute(
                f"SELECT max(wait_until) AS wait_until FROM login_failures WHERE ({where}) AND wait_until > ?",
                (*(x for rule, who, key in keys for x in (rule.scope, who, key)), clock.iso(now))) as cur:
            until = (await cur.fetchone())["wait_until"]
    return math.ceil((datetime.fromisoformat(until) - now).total_seconds()) if until else 0


def refusal(wait: int, variant: str | None = None) -> AppError:
    """The 429, in words that say when to try again (the Retry-After header carries the seconds);
    `variant`: "link_request" or "link" for one-time sign-in links (server/auth/sign_in_links.py)."""
    LOGIN_THROTTLE.labels("refused").inc()
    until = (clock.now() + timedelta(seconds=wait)).astimezone(clock.JST)
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    left = f"{wait}秒" if wait < 60 else f"{math.ceil(wait / 60)}分"
    return problems.TOO_MANY_ATTEMPTS(variant, until=until, left=left, details={"retry_after": wait})


async def note_failure(conn: aiosqlite.Connection, actor: audit.Actor, login: str, address: str,
                       device: str | None = None, action: str = "auth.login_failed") -> None:
    """Count a failed sign-in (one transaction with its audit rows); a new wait is audited as a lockout.
    `action`: what is audited for the attempt (one-time links count their requests and refusals here too)."""
    now = clock.now()
    await audit.record(conn, actor, action, "login", login)
    await conn.execute("DELETE FROM login_failures WHERE forget_at <= ?", (clock.iso(now),))
    for rule, who, key in _keys(login, address, device):
        async with conn.execute("SELECT failures FROM login_failures WHERE scope = ? AND login = ? AND address = ?",
                                (rule.scope, who, key)) as cur:
            row = await cur.fetchone()
        failures = (row["failures"] if row else 0) + 1
        wait = rule.wait(failures)
        wait_until = now + timedelta(seconds=wait)
        await conn.execute(
            """INSERT INTO login_failures (scope, login, address, failures, last_failed_at, wait_until, forget_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (scope, login, address) DO UPDATE SET failures = excluded.failures,
                   last_failed_at = excluded.last_failed_at, wait_until = excluded.wait_until,
                   forget_at = excluded.forget_at""",
            (rule.scope, who, key, failures, clock.iso(now), clock.iso(wait_until),
             clock.iso(wait_until + timedelta(seconds=rule.forget_after))))
        if wait:
            LOGIN_THROTTLE.labels("lockout").inc()
            await audit.record(conn, actor, "auth.lockout", "login", login,  # the client's address, never a token hash
                               {"scope": rule.scope, "address": address_key(address), "failures": failures,
                                "wait_seconds": wait})


async def note_success(conn: aiosqlite.Connection, login: str, address: str, device: str | None = None) -> None:
    """A correct password clears the count of that login from that address and that device's own (not
    the address's, nor the login's over every address: those may be someone else's guessing)."""
    await conn.execute("DELETE FROM login_failures WHERE scope = 'login' AND login = ? AND address = ?",
                       (login, address_key(address)))
    if device:
        await conn.execute("DELETE FROM login_failures WHERE scope = 'device' AND login = ? AND address = ?",
                           (login, device))


async def forget_login(conn: aiosqlite.Connection, login: str) -> None:
    """A new password set by a clerk or an operator: that login may be tried again at once, from anywhere."""
    await conn.execute("DELETE FROM login_failures WHERE scope IN ('login', 'account', 'device') AND login = ?",
                       (login,))
