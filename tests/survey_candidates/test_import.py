"""A town's candidate lists in: merged per house, matched by address, ambiguous rows queued for the
clerk, bad files refused whole with each row's line, column and reason, the same file twice a no-op."""

import pytest

from server.survey_candidates.csv_file import CandidateFileError
from server.survey_candidates.queries import candidates_of_contract
from tests.support.sql import rows
from tests.survey_candidates.lists import HEADER, LEDGER, WATER, contract, import_list, on_db


def _candidates(world, contract_id):
    return on_db(world, lambda db: _read(db, contract_id))


async def _read(db, contract_id):
    async with db.read() as conn:
        return await candidates_of_contract(conn, None, contract_id)


def _table_counts(world):
    return [rows(world.db_path, f"SELECT count(*) FROM {t}")[0][0]
            for t in ("survey_candidates", "candidate_reasons", "candidate_owners", "candidate_imports", "audit_log")]


def test_two_lists_naming_one_house_make_one_candidate_with_both_reasons(world):
    c = contract(world)
    import_list(world, c, WATER)
    _, result = import_list(world, c, LEDGER, "cp932")
    assert result.new_candidates == 0 and result.new_reasons == 2
    found = {x.address: x for x in _candidates(world, c)}
    assert len(found) == 3
    house = found["千代田区一番町1-1"]
    assert house.property_id == world.properties["watched"] and house.match_state == "linked"
    assert house.reasons == ["水道", "課税台帳"]
    assert (house.chiban, house.built_year, house.floor_area) == ("101番1", 1975, 98.5)  # blanks filled by the ledger
    assert found["千代田区六番町9-9"].reasons == ["水道", "課税台帳"]


def test_a_near_address_goes_to_the_clerks_queue_with_the_possible_house_and_an_unknown_one_is_new(world):
    c = contract(world)
    _, result = import_list(world, c, WATER)
    assert result.queued == 1
    found = {x.address: x for x in _candidates(world, c)}
    near = found["千代田区二番町2"]
    assert near.match_state == "ambiguous" and near.property_id is None
    assert near.possible_houses == [world.properties["surveyed"]]
    new = found["千代田区六番町9-9"]
    assert new.match_state == "new" and new.property_id is None


def test_re_importing_the_same_file_changes_nothing(world):
    c = contract(world)
    import_list(world, c, WATER)
    before = _table_counts(world)
    _, again = import_list(world, c, WATER)
    assert again.already_imported
    assert _table_counts(world) == before


def test_the_same_rows_in_another_file_add_nothing_but_the_import_record(world):
    c = contract(world)
    import_list(world, c, WATER)
    _, again = import_list(world, c, WATER + "\n")  # another file (one more blank line), the same rows
    assert (again.new_candidates, again.new_reasons, again.owners) == (0, 0, 0)


def test_a_malformed_file_is_refused_whole_with_line_column_and_reason_in_japanese(world):
    c = contract(world)
    bad = HEADER + ("水道,千代田区一番町1-1,,,,,,,,,\n"
                    ",千代田区二番町2-2,,,,,,,,,\n"
                    "課税台帳,千代田区三番町3,,,,,西暦二千年,,,,\n"
                    "課税台帳,千代田区四番町4,,,,,,広い,,,12-345\n")
    before = _table_counts(world)
    with pytest.raises(CandidateFileError) as refused:
        import_list(world, c, bad)
    found = {(e.line, e.column) for e in refused.value.errors}
    assert {(3, "出典"), (4, "建築年"), (5, "延床面積"), (5, "所有者郵便番号")} <= found
    assert all(e.message.endswith("。") for e in refused.value.errors)
    assert _table_counts(world) == before


def test_a_file_without_the_address_column_names_it(world):
    with pytest.raises(CandidateFileError) as refused:
        import_list(world, contract(world), "出典,所在\n水道,一番町1-1\n")
    assert [(e.line, e.message) for e in refused.value.errors] == [(1, "見出しに 住所 の列がありません。")]


@pytest.mark.parametrize("encoding, said", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8（BOM付き）"), ("cp932", "Shift_JIS")])
def test_the_encoding_is_detected_and_said(world, encoding, said):
    parsed, result = import_list(world, contract(world), WATER, encoding)
    assert parsed.encoding == said and result.new_candidates == 3


def test_bytes_neither_utf8_nor_shift_jis_are_refused_with_the_reason(world):
    with pytest.raises(CandidateFileError) as refused:
        import_list(world, contract(world), HEADER.encode() + b"\x82\xff\xfe,\x80\x80\n")
    assert "文字コードを判別できません" in refused.value.errors[0].message


def test_a_postal_code_that_does_not_exist_is_flagged_and_the_row_still_imported(world):
    c = contract(world)
    import_list(world, c, LEDGER)
    flags = dict(rows(world.db_path, "SELECT name, postal_flag FROM candidate_owners"))
    assert flags["千代田 一郎"] == ""
    assert flags["六番 花子"] == "郵便番号 〒000-0000 は日本郵便の郵便番号データにありません。"
    assert {x.address: x.owner_flagged for x in _candidates(world, c)} == {
        "東京都千代田区一番町一番地の一": False, "千代田区六番町９－９": True}


def test_an_import_is_audited_with_its_counts(world):
    c = contract(world)
    import_list(world, c, WATER)
    [(details,)] = rows(world.db_path, "SELECT details FROM audit_log WHERE action = 'survey_candidates.import'")
    assert '"new_candidates":3' in details and '"queued":1' in details
