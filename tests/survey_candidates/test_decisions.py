"""The clerk settles what the import could not: an ambiguous address (a house, a new house or not found)
and the outcome of a candidate the survey did not reach; each decision audited, none guessed."""

import pytest

from server.core.audit import SYSTEM
from server.core.errors import AppError
from server.survey_candidates.outcomes import outcome_of, reconcile
from server.survey_candidates.queries import candidates_of_contract, resolve_candidate, set_outcome
from tests.support.sql import rows
from tests.survey_candidates.lists import LEDGER, WATER, as_user, contract, import_list, on_db


def _candidates(world, c):
    async def run(db):
        async with db.read() as conn:
            return {x.address: x for x in await candidates_of_contract(conn, None, c)}
    return on_db(world, run)


def test_the_clerk_links_an_ambiguous_address_to_one_of_its_possible_houses(world):
    c = contract(world)
    import_list(world, c, WATER)
    near = _candidates(world, c)["千代田区二番町2"]
    as_user(world, "ueda", lambda conn, u: resolve_candidate(conn, SYSTEM, u, near.id, world.properties["surveyed"]))
    settled = _candidates(world, c)["千代田区二番町2"]
    assert (settled.match_state, settled.property_id) == ("linked", world.properties["surveyed"])
    assert rows(world.db_path, "SELECT details FROM audit_log WHERE action = 'survey_candidate.resolve'")


def test_a_house_not_among_the_possible_ones_is_refused(world):
    c = contract(world)
    import_list(world, c, WATER)
    near = _candidates(world, c)["千代田区二番町2"]
    with pytest.raises(AppError) as refused:
        as_user(world, "ueda", lambda conn, u: resolve_candidate(conn, SYSTEM, u, near.id, world.properties["north"]))
    assert refused.value.status == 400 and refused.value.code == "invalid_candidate_choice"


def test_not_found_makes_the_candidate_shozai_fumei(world):
    c = contract(world)
    import_list(world, c, WATER)
    near = _candidates(world, c)["千代田区二番町2"]
    as_user(world, "ueda", lambda conn, u: resolve_candidate(conn, SYSTEM, u, near.id, "not_found"))
    assert outcome_of(_candidates(world, c)["千代田区二番町2"], {}) == ("not_located", "所在不明")


def test_linking_to_a_house_already_a_candidate_merges_their_reasons(world):
    c = contract(world)
    import_list(world, c, WATER)
    import_list(world, c, "出典,住所\n通報,千代田区二番町2-2\n目視,千代田区二番町2\n")
    near = _candidates(world, c)["千代田区二番町2"]
    kept = as_user(world, "ueda", lambda conn, u: resolve_candidate(conn, SYSTEM, u, near.id, world.properties["surveyed"]))
    found = _candidates(world, c)
    assert "千代田区二番町2" not in found
    assert found["千代田区二番町2-2"].id == kept
    assert sorted(found["千代田区二番町2-2"].reasons) == sorted(["通報", "水道", "目視"])


def test_a_clerk_of_another_office_cannot_touch_the_contracts_candidates(world):
    c = contract(world)
    import_list(world, c, WATER)
    near = _candidates(world, c)["千代田区二番町2"]
    with pytest.raises(AppError) as refused:
        as_user(world, "kudo", lambda conn, u: resolve_candidate(conn, SYSTEM, u, near.id, "new"))
    assert refused.value.status == 404


def test_excluded_needs_a_reason_and_the_outcome_is_audited(world):
    c = contract(world)
    import_list(world, c, WATER)
    new = _candidates(world, c)["千代田区六番町9-9"]
    with pytest.raises(AppError) as refused:
        as_user(world, "ueda", lambda conn, u: set_outcome(conn, SYSTEM, u, new.id, "excluded", " ", set()))
    assert refused.value.message == "対象外にするときは、その理由を書いてください。"
    as_user(world, "ueda", lambda conn, u: set_outcome(conn, SYSTEM, u, new.id, "excluded", "店舗（住宅ではない）", set()))
    assert outcome_of(_candidates(world, c)["千代田区六番町9-9"], {}) == ("excluded", "対象外（店舗（住宅ではない））")
    assert rows(world.db_path, "SELECT count(*) FROM audit_log WHERE action = 'survey_candidate.outcome'") == [(1,)]


def test_a_surveyed_candidates_outcome_comes_from_the_survey_not_the_clerk(world):
    c = contract(world)
    import_list(world, c, WATER)
    linked = _candidates(world, c)["千代田区一番町1-1"]
    surveyed = {world.properties["watched"]: "高"}
    with pytest.raises(AppError) as refused:
        as_user(world, "ueda", lambda conn, u: set_outcome(conn, SYSTEM, u, linked.id, "occupied", "", set(surveyed)))
    assert refused.value.status == 409
    assert outcome_of(linked, surveyed) == ("surveyed", "調査済（空き家の可能性 高）")


def test_the_reconciliation_adds_up_to_the_number_of_candidates(world):
    c = contract(world)
    import_list(world, c, WATER)
    import_list(world, c, LEDGER)
    found = _candidates(world, c)
    as_user(world, "ueda", lambda conn, u: set_outcome(conn, SYSTEM, u, found["千代田区六番町9-9"].id, "occupied", "", set()))
    tally = reconcile(list(_candidates(world, c).values()),
                      {world.properties["watched"]: "中"})
    assert tally.total == 3 and tally.holds()
    assert tally.counts == {"surveyed": 1, "occupied": 1, "cleared": 0, "not_located": 0, "excluded": 0, "open": 1}
    assert tally.surveyed_by_likelihood == {"高": 0, "中": 1, "低": 0}
