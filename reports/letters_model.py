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


class OwnerSurveyTally(msgspec.Struct, frozen=True, kw_only=True):
    """The survey report's chapter 所有者意向調査: counts only, never an owner's name."""
    sent: int
    returned: int
    returned_reasons: list[tuple[str, int]] = []
    answered: int = 0
    answered_web: int = 0
    answered_paper: int = 0
    intentions: list[tuple[str, int]] = []  # 今後の意向, every option in the questionnaire's order
    uses: list[tuple[str, int]] = []  # 現在の利用状況
    troubles: list[tuple[str, int]] = []  # 困りごと (several per answer)
    akiya_bank: list[tuple[str, int]] = []  # 空き家バンク登録の希望
    consented: int = 0  # answers that allow the town to contact the owner
    cross_columns: list[str] = []  # the 今後の意向 labels, the cross-tab's columns
    cross_rows: list[tuple[str, list[int]]] = []  # 利活用判定 class → answers per intention
    statutory_cross_rows: list[tuple[str, list[int]]] = []  # 不良度（別表第1） class → answers per intention
