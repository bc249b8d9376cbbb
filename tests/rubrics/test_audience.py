"""Who may read a text answer: marked in version 2 rubrics, a safe default for version 1."""

from server.rubrics import RubricRegistry
from server.rubrics.audience import NOTES_AUDIENCE, owner_text, text_audience

REGISTRY = RubricRegistry.load_dir()


def test_the_carriers_notes_to_the_office_are_internal():
    assert NOTES_AUDIENCE == "internal"


def test_version_1_notes_on_a_finding_and_the_requested_spot_are_the_owners_and_free_comments_are_not():
    watch = REGISTRY.get("watch_basic", 1)
    disaster = REGISTRY.get("post_disaster", 1)
    assert text_audience(watch, watch.item("garden_note")) == "owner"
    assert text_audience(watch, watch.item("requested_spot_note")) == "owner"
    assert text_audience(watch, watch.item("airing_skipped_reason")) == "internal"
    assert text_audience(disaster, disaster.item("comment")) == "internal"
    assert text_audience(disaster, disaster.item("not_reported_reason")) == "internal"


def test_owner_text_returns_nothing_for_internal_items():
    disaster = REGISTRY.get("post_disaster", 2)
    answers = {"comment": "局内メモ", "owner_message": "お知らせ"}
    assert owner_text(disaster, answers, "comment") == ""
    assert owner_text(disaster, answers, "owner_message") == "お知らせ"
