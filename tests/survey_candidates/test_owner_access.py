"""Owners from the 課税台帳 are personal data: the admin, the town's municipal officers and the contract's
post-office clerks whom an admin allowed (sees_owner_letters) see them; carriers, owners and other offices
never. Every look is audited, also one that showed nothing."""

import pytest

from server.core.audit import SYSTEM
from server.core.errors import AppError
from server.survey_candidates.queries import owners_of_contract
from server.users.access import sees_candidate_owners
from server.users.queries import set_sees_owner_letters, user_by_login
from tests.support.sql import rows
from tests.survey_candidates.lists import LEDGER, contract, import_list, on_db


def _owners_seen_by(world, login, c):
    async def run(db):
        async with db.read() as conn:
            user = await user_by_login(conn, login)
        return await db.write(lambda conn: owners_of_contract(conn, SYSTEM, user, c))
    return {o.name for o in on_db(world, run)}


def _allow(world, login, allowed=True):
    async def run(db):
        async with db.read() as conn:
            user = await user_by_login(conn, login)
        await db.write(lambda conn: set_sees_owner_letters(conn, SYSTEM, user, allowed))
    on_db(world, run)


BOTH = {"千代田 一郎", "六番 花子"}


@pytest.mark.parametrize("login, seen", [("admin", BOTH), ("mori", BOTH), ("ueda", set()), ("kudo", set()),
                                         ("aoki", set()), ("ono", set())])
def test_who_sees_the_owners_without_the_letters_permission(world, login, seen):
    c = contract(world)
    import_list(world, c, LEDGER)
    assert _owners_seen_by(world, login, c) == seen


def test_the_letters_permission_opens_the_owners_of_the_clerks_own_office_only(world):
    c = contract(world)
    import_list(world, c, LEDGER)
    _allow(world, "ueda")
    _allow(world, "kudo")
    assert _owners_seen_by(world, "ueda", c) == BOTH
    assert _owners_seen_by(world, "kudo", c) == set()  # the contract is office 10001's
    _allow(world, "ueda", False)
    assert _owners_seen_by(world, "ueda", c) == set()
    assert rows(world.db_path, "SELECT count(*) FROM audit_log WHERE action = 'user.owner_letters'") == [(3,)]


def test_a_carrier_can_never_be_given_the_letters_permission(world):
    with pytest.raises(AppError) as refused:
        _allow(world, "aoki")
    assert refused.value.status == 403
    assert rows(world.db_path, "SELECT sees_owner_letters FROM users WHERE login = 'aoki'") == [(0,)]


def test_every_look_at_the_owners_is_audited_with_how_many_were_shown(world):
    c = contract(world)
    import_list(world, c, LEDGER)
    _owners_seen_by(world, "mori", c)
    _owners_seen_by(world, "aoki", c)
    assert [d for (d,) in rows(world.db_path, "SELECT details FROM audit_log WHERE action = 'candidate_owners.view' "
                                              "ORDER BY id")] == ['{"owners":2}', '{"owners":0}']


def test_pages_offer_the_owners_only_to_those_the_rule_lets_see_them(world):
    async def run(db):
        async with db.read() as conn:
            return {login: sees_candidate_owners(await user_by_login(conn, login))
                    for login in ("admin", "mori", "ueda", "aoki", "ono")}
    assert on_db(world, run) == {"admin": True, "mori": True, "ueda": False, "aoki": False, "ono": False}
