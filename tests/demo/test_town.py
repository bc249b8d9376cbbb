import math
from datetime import date

from server.core.codes import is_valid_municipality_code, normalize_real_estate_id
from server.demo.town import (
    CARRIERS, DISTRICTS, OFFICES, OWNERS, PROPERTIES, SUBSCRIPTIONS, SURVEY_CONTRACT, TOWN, USERS,
)
from server.rubrics import SERVICE_OPTIONS


def metres(lat1, lon1, lat2, lon2) -> float:
    dy = (lat2 - lat1) * 111_000
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians(lat1))
    return math.hypot(dx, dy)


def test_town_code_is_a_valid_municipality_code_of_its_prefecture():
    assert is_valid_municipality_code(TOWN.code)
    assert TOWN.code.startswith("20") and TOWN.prefecture == "長野県"


def test_property_keys_are_unique_and_run_p01_to_p60():
    assert [p.key for p in PROPERTIES] == [f"p{n:02d}" for n in range(1, 61)]


def test_every_property_lies_in_its_district_and_within_a_few_km_of_the_town_hall():
    centres = {d.name: d for d in DISTRICTS}
    for p in PROPERTIES:
        district = centres[p.district]
        assert metres(district.lat, district.lon, p.lat, p.lon) < 500, p.key
        assert metres(TOWN.lat, TOWN.lon, p.lat, p.lon) < 5_000, p.key


def test_addresses_read_prefecture_town_district_and_lot():
    for p in PROPERTIES:
        assert p.address.startswith(f"長野県青葉川町大字{p.district}"), p.address
        assert "番地" in p.address


def test_real_estate_ids_are_well_formed_where_given():
    given = [p.real_estate_id for p in PROPERTIES if p.real_estate_id]
    assert 10 <= len(given) < len(PROPERTIES)
    assert all(normalize_real_estate_id(rid) == rid for rid in given)


def test_building_facts_use_the_usual_japanese_terms():
    assert {p.building_use for p in PROPERTIES} <= {"専用住宅", "併用住宅", "店舗", "倉庫", "作業場", "共同住宅"}
    assert {p.structure for p in PROPERTIES} == {"木造", "軽量鉄骨造", "鉄骨造", "RC造"}
    assert all(1 <= p.storeys <= 3 for p in PROPERTIES)


def test_each_office_has_two_carriers_who_cover_its_properties():
    for office in OFFICES:
        carriers = {c.login for c in CARRIERS if c.office_code == office.code}
        assert len(carriers) == 2
        assert {p.carrier for p in PROPERTIES if p.office_code == office.code} == carriers


def test_offices_are_in_the_town():
    for office in OFFICES:
        assert office.address.startswith("長野県青葉川町")
        assert metres(TOWN.lat, TOWN.lon, office.lat, office.lon) < 5_000


def test_the_demo_logins_exist_with_their_roles():
    roles = {u.login: u.role for u in USERS}
    assert roles["admin"] == "admin"
    assert roles["office1"] == roles["office2"] == "office"
    assert roles["town1"] == "municipality"
    assert [roles[f"carrier{n}"] for n in range(1, 5)] == ["carrier"] * 4
    assert [roles[f"owner{n}"] for n in range(1, 11)] == ["owner"] * 10
    assert len(roles) == len(USERS)


def test_carriers_have_a_family_name_for_reports():
    assert all(c.family_name and c.given_name and c.name == f"{c.family_name} {c.given_name}" for c in CARRIERS)


def test_there_are_exactly_ten_owners_each_watching_one_house():
    assert len(OWNERS) == 10
    assert sorted(s.owner for s in SUBSCRIPTIONS) == sorted(o.login for o in OWNERS)
    assert len({s.property for s in SUBSCRIPTIONS}) == 10


def test_owners_live_far_away_with_fictional_contacts():
    for owner in OWNERS:
        assert not owner.address.startswith("長野県")
        assert owner.email.endswith(("@example.jp", "@example.com"))
        assert owner.phone[4:8] == "0000"
        assert owner.report_delivery in ("email", "web")


def test_subscriptions_use_known_options_and_start_in_2025_or_2026():
    for s in SUBSCRIPTIONS:
        assert set(s.options) <= set(SERVICE_OPTIONS)
        assert date(2025, 1, 1) <= s.start_date <= date(2026, 12, 31)
    assert {o for s in SUBSCRIPTIONS for o in s.options} == set(SERVICE_OPTIONS)
    assert any(s.requested_spot for s in SUBSCRIPTIONS)


def test_survey_contract_covers_forty_properties_of_both_offices():
    keys = SURVEY_CONTRACT.properties
    assert len(keys) == len(set(keys)) == 40
    by_office = {o.code: sum(p.key in keys and p.office_code == o.code for p in PROPERTIES) for o in OFFICES}
    assert list(by_office.values()) == [20, 20]
    assert SURVEY_CONTRACT.municipality_code == TOWN.code
    assert (SURVEY_CONTRACT.rubric_id, SURVEY_CONTRACT.rubric_version) == ("municipal_survey", 3)  # new records
    assert SURVEY_CONTRACT.contract_no and SURVEY_CONTRACT.houses_in_area
    assert SURVEY_CONTRACT.period_start < SURVEY_CONTRACT.period_end


def test_three_watched_houses_are_also_on_the_survey_list():
    watched = {s.property for s in SUBSCRIPTIONS}
    assert watched & set(SURVEY_CONTRACT.properties) == {"p03", "p34", "p47"}


def test_every_house_has_a_ledger_date_of_construction_in_a_form_the_ledger_import_accepts():
    from server.properties.built_date import parse_built_on

    for house in PROPERTIES:
        assert parse_built_on(house.built_on) == house.built_on, house.key
    years = {int(house.built_on[:4]) for house in PROPERTIES}
    assert min(years) < 1981 < max(years)  # on both sides of the 新耐震基準
