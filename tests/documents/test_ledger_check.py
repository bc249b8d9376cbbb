"""「台帳と相違」: which ledger wordings disagree with a survey's 構造 answer and with a 別表第1 score."""

import pytest

from server.properties.ledger_check import ledger_differences


@pytest.mark.parametrize("structure, answered, differs", [
    ("木造", "wooden", False), ("木造瓦葺2階建", "wooden", False), ("鉄骨造", "wooden", True),
    ("鉄筋コンクリート造", "steel", True), ("ＲＣ造", "rc", False), ("軽量鉄骨造", "steel", False),
    ("コンクリートブロック造", "block", False), ("木造", "unknown", False), ("", "wooden", False),
])
def test_the_recorded_structure_is_compared_only_when_both_say_something(structure, answered, differs):
    found = ledger_differences("専用住宅", structure, {"structure_type": answered}, statutory_scored=True)
    assert bool(found) is differs


def test_a_building_the_ledger_calls_a_shop_is_named_only_when_it_was_given_a_statutory_score():
    shop = ledger_differences("店舗", "", {"structure_type": "wooden"}, statutory_scored=True)
    assert shop == ["用途：台帳は店舗（不良度の別表第1は住宅の基準です）"]
    assert ledger_differences("店舗", "", {"structure_type": "rc"}, statutory_scored=False) == []
    assert ledger_differences("店舗併用住宅", "", {"structure_type": "wooden"}, statutory_scored=True) == []
