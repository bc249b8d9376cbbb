"""Which answers of a record are urgent: a pure function of the rubric and the answers."""

from __future__ import annotations

from typing import Any

from server.rubrics.model import Rubric


def urgent_findings(rubric: Rubric, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """[(item key, "label: chosen urgent option(s)")] in rubric order."""
    found = []
    for item in rubric.items_with_urgent_options:
        if item.key not in answers:
            continue
        value = answers[item.key]
        chosen = value if isinstance(value, list) else [value]
        urgent = [o.label for o in item.options if o.urgent and o.value in chosen]
        if urgent:
            found.append((item.key, f"{item.label}: {'、'.join(urgent)}"))
    return found
