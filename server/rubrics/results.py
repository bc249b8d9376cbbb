"""What scoring returns: results, answer errors and changes between visits (msgspec Structs).

Error messages are Japanese because a carrier reads them on a phone; the JavaScript engine
(field_app/js/rubric-engine.js) builds the same messages from the same templates.
"""

import msgspec

ERROR_CODES = (
    "required",
    "unknown_item",
    "hidden_item",
    "wrong_type",
    "unknown_option",
    "out_of_range",
    "too_long",
    "not_integer",
    "duplicate_choice",
    "missing_photo",
    "unknown_photo_slot",
    "photo_for_abnormal",
)

_MESSAGES = {
    "required": "「{label}」が未回答です。回答してください。",
    "unknown_item": "「{label}」はこの調査票にない項目です。アプリを更新してください。",
    "hidden_item": "「{label}」は今回の条件では回答しない項目です。回答を消してください。",
    "wrong_type": "「{label}」の回答の形式が正しくありません。回答し直してください。",
    "unknown_option": "「{label}」に選択肢にない回答があります。選び直してください。",
    "out_of_range": "「{label}」は{range}で入力してください。",
    "too_long": "「{label}」は{max_length}文字以内で入力してください。",
    "not_integer": "「{label}」は整数で入力してください。",
    "duplicate_choice": "「{label}」で同じ選択肢が重複しています。選び直してください。",
    "missing_photo": "写真「{label}」がありません。撮影してください。",
    "unknown_photo_slot": "写真の区分「{label}」はこの調査票にありません。区分を選び直してください。",
    "photo_for_abnormal": "「{label}」が異常ありのため、写真「{slot}」を撮影してください。",
}


class AnswerError(msgspec.Struct, frozen=True):
    """One problem with the answers or photos of a visit; `item` is an item or photo slot key."""

    item: str | None
    code: str
    message: str


class Flag(msgspec.Struct, frozen=True, omit_defaults=True):
    """A raised flag: `category` is a 2023-law category key or None, `level` notice|action|hazard;
    `urgency` urgent|check|watch where the rubric gives one (left out otherwise)."""

    key: str
    label: str
    category: str | None
    level: str
    urgency: str | None = None


STATUTORY_VERDICTS = {
    "defective": "不良住宅（不良度100以上）",
    "undetermined": "判定不能",
    "not_defective": "不良住宅に当たらない（不良度100未満）",
}


class Statutory(msgspec.Struct, frozen=True):
    """The statutory 不良度 as a range: `min` counts what was seen, `max` adds the most the items
    answered 「外から確認できない」 could add, each 評定区分 within its cap. `verdict` is defective
    (min >= threshold), undetermined (the range straddles it), not_defective or not_applicable
    (then min/max are None and `verdict_label` is the rubric's wording, e.g. 別表第1の対象外)."""

    label: str
    verdict: str
    verdict_label: str
    min: int | None
    max: int | None
    min_points: dict[str, int]
    max_points: dict[str, int]
    unseen: list[str]


class Result(msgspec.Struct, frozen=True, omit_defaults=True):
    points: dict[str, int]
    total: int
    rank: str | None
    rank_label: str | None
    judgements: dict[str, str]
    flags: list[Flag]
    statutory: Statutory | None = None  # only for rubrics with scoring.statutory


class Change(msgspec.Struct, frozen=True):
    item: str
    label: str
    direction: str  # "worse" | "better"
    before: str
    after: str


class InvalidAnswers(ValueError):
    def __init__(self, errors: list[AnswerError]):
        super().__init__("; ".join(f"{e.item}: {e.code}" for e in errors))
        self.errors = errors


def format_range(minimum, maximum, unit: str | None) -> str:
    """「0〜20部屋」: the bounds as the carrier reads them (numbers as JSON writes them)."""
    unit = unit or ""
    low = "" if minimum is None else f"{_number(minimum)}{unit}"
    high = "" if maximum is None else f"{_number(maximum)}{unit}"
    if minimum is not None and maximum is not None:
        return f"{low}〜{high}の範囲"
    return f"{low}以上" if minimum is not None else f"{high}以下"


def _number(value) -> str:
    # JSON/JavaScript spelling: 3.0 is written "3", 0.5 is "0.5".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def answer_error(item: str | None, code: str, label: str, **details) -> AnswerError:
    return AnswerError(item=item, code=code, message=_MESSAGES[code].format(label=label, **details))
