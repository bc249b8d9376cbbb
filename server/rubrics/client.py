"""The rubric as JSON for the phone: enough to draw the form and score it offline."""

from .model import FLAG_CATEGORIES, FLAG_LEVELS, Rubric


def rubric_to_client(rubric: Rubric) -> dict:
    """Every field with its default filled in (booleans always carry their true/false options)."""
    data = rubric.model_dump(mode="json", by_alias=True)
    data["scoring"]["flag_categories"] = dict(FLAG_CATEGORIES)
    data["scoring"]["flag_levels"] = dict(FLAG_LEVELS)
    return data
