"""What one request may hold: every input limit in one place, each documented in README.md
("Input limits") and, where it is part of the wire format, in the OpenAPI schema.

The limits are far above what the field app and a clerk send, and low enough that a hostile
request is refused before it costs memory or time (a push is read and refused as a whole
before anything is scored or stored)."""

from __future__ import annotations

PUSH_MAX_BYTES = 2_000_000       # body of POST /api/v1/sync/push (the app sends at most 20 ops of ~2 KB)
PUSH_MAX_OPS = 100               # ops in one push
ANSWERS_MAX = 200                # answer keys in one inspection (the largest rubric has 22 items)
ANSWER_KEY_MAX = 64              # characters of an answer key (an item key of the rubric)
ANSWER_TEXT_MAX = 2000           # characters of one text answer (the rubric's max_length is checked after)
ANSWER_CHOICES_MAX = 100         # values of one multiple-choice answer
PHOTOS_MAX = 40                  # photos declared by one inspection
NOTES_MAX = 2000                 # characters of an inspection's or a reported house's notes
ADDRESS_MAX = 300                # characters of an address (reported at push, imported from CSV)
CSV_FIELD_MAX = 2000             # characters of one CSV cell (notes and address have their own maxima)
CSV_MAX_BYTES = 5_000_000        # an uploaded or imported property list
ERROR_DETAILS_MAX = 50           # problems listed in one error; the rest are counted


def capped(problems: list, limit: int = ERROR_DETAILS_MAX, more=None) -> list:
    """The first `limit` problems, then one entry saying how many more there are.

    `more(count)` builds that entry; by default {"item": None, "code": "more_problems", "count", "message"},
    the shape of an answer problem, so a phone shows it as one more line."""
    if len(problems) <= limit:
        return problems
    rest = len(problems) - limit
    entry = more(rest) if more else {"item": None, "code": "more_problems", "count": rest,
                                     "message": f"ほかに {rest} 件の問題があります。上の問題を直してから送り直してください。"}
    return [*problems[:limit], entry]
