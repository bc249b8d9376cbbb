"""The rubric as JSON for the phone: enough to draw the form and score it offline."""

from .model import FLAG_CATEGORIES, FLAG_LEVELS, FLAG_URGENCIES, Rubric


def rubric_to_client(rubric: Rubric) -> dict:
    """Every field with its default filled in (booleans always carry their true/false options)."""
    data = rubric.model_dump(mode="json", by_alias=True)
    del data["reuse"]  # the 利活用判定 is the office's (server/rubrics/reuse.py): the phone draws and scores without it
    _drop_unused_survey_fields(data)
    data["scoring"]["flag_categories"] = dict(FLAG_CATEGORIES)
    data["scoring"]["flag_levels"] = dict(FLAG_LEVELS)
    if data["scoring"].get("statutory") or any(f.get("urgency") for f in data["scoring"]["flags"]):
        data["scoring"]["flag_urgencies"] = dict(FLAG_URGENCIES)
    return data


def _drop_unused_survey_fields(data: dict) -> None:
    """The survey v2 fields (unseen, unseen_points, fast_path, needed_from_severity, urgency, a slot's
    requires_option and show_if,
    total_label, statutory, undetermined_if) only where a rubric uses them,
    so the JSON of rubrics without them stays as it was (the JS engine reads absent as default)."""
    for section in data["sections"]:
        for item in section["items"]:
            for option in item["options"]:
                if not option["unseen"]:
                    del option["unseen"]
                if not option["unseen_points"]:
                    del option["unseen_points"]
                if option["fast_path"] is None:
                    del option["fast_path"]
    for slot in data["photo_slots"]:
        if slot["needed_from_severity"] == 2:
            del slot["needed_from_severity"]
        for key in ("requires_option", "show_if"):  # option_work's slots (the JS engine reads absent as none)
            if slot[key] is None:
                del slot[key]
    scoring = data["scoring"]
    for flag in scoring["flags"]:
        if flag["urgency"] is None:
            del flag["urgency"]
    for key in ("total_label", "statutory"):
        if scoring[key] is None:
            del scoring[key]
    statutory = scoring.get("statutory")
    if statutory and statutory["undetermined_if"] is None:
        del statutory["undetermined_if"], statutory["undetermined_label"]
