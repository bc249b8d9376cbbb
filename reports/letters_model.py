"""Plain data of the owner-survey letters (reports/owner_letters.py renders it); no server code."""

from __future__ import annotations

import msgspec


class LetterQuestion(msgspec.Struct, frozen=True):
    label: str
    kind: str  # single | multi | text
    options: list[str] = []


class OwnerLetter(msgspec.Struct, frozen=True):
    postal_code: str  # seven digits
    owner_address: str
    owner_name: str
    house_address: str
    printed_code: str  # ABCD-EFGH-JKMN
    qr_payload: str  # the answer page's URL with the code; nothing about the owner


class OwnerLetters(msgspec.Struct, frozen=True):
    municipality: str
    letterhead: str
    issued_on_text: str
    letter_text: str  # the town's template, filled in; its first line is the title
    deadline_text: str
    answer_url: str  # the short URL printed for typing
    contact: str
    questionnaire_title: str
    questions: list[LetterQuestion]
    letters: list[OwnerLetter]
    not_sent: list[tuple[str, str]] = []  # (the house's address, why no letter): a last page for the clerk
