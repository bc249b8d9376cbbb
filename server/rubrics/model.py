"""The rubric file format, as pydantic models.

Field-level rules live here (types, bounds, what each item type may carry); rules that
relate one part of a file to another (show_if targets, declared categories and flags,
rank bounds) live in checks.py so that one pass reports every problem of a file.
"""

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from server.core.limits import ANSWER_TEXT_MAX

from .reuse_model import ReuseRules

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"

# Service options a task may include (watch service); `requires_option` names one of these.
SERVICE_OPTIONS = {
    "airing": "通風・通水",
    "mail_tidy": "投函物片付け",
    "mail_forward": "投函物送付",
    "disaster": "災害後見回り",
}
# Work an owner orders (server/menu/): the carrier's work task carries its one service key, and the
# option_work rubric shows only that work's section and photos (`requires_option`).
WORK_OPTIONS = {
    "mowing": "草刈",
    "sign": "巡回看板の設置",
    "cleaning": "簡単な清掃",
    "clearing": "不用品整理",
}
# The four categories of 管理不全空家等 / 特定空家等 (空家法, 2023 amendment).
FLAG_CATEGORIES = {
    "safety": "保安上危険",
    "sanitation": "衛生上有害",
    "landscape": "景観を損なう",
    "living_environment": "周辺の生活環境",
}
FLAG_LEVELS = {"notice": "要確認", "action": "要対応", "hazard": "危険・通報"}
# How soon the municipality should look (survey v2 findings): the guideline's categories stay in
# `category`; the system never labels a house 管理不全 or 特定 (that is the municipality's decision).
FLAG_URGENCIES = {"urgent": "至急", "check": "要確認", "watch": "経過観察"}
BOOLEAN_LABELS = {True: "はい", False: "いいえ"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Condition(_Strict):
    """`show_if`/`when`: true when item `item` is answered with one of `in_` (any, for multi)."""

    item: str = Field(pattern=KEY_PATTERN)
    in_: list[str | bool] = Field(alias="in", min_length=1)


class Option(_Strict):
    value: str | bool
    label: str = Field(min_length=1)
    severity: Literal[0, 1, 2] = 0
    points: dict[str, int] = {}
    flags: list[str] = []
    unseen: bool = False  # 「外から確認できない」: counts towards the statutory range, never as sound
    # Points a condition of this answer that cannot be seen from the road could add to the statutory
    # maximum only (2(四) イ: 剥落・ずれ seen, 雨もり not seen: 0 in the minimum, 15 in the maximum).
    unseen_points: dict[str, int] = {}
    urgent: bool = False  # the office hears of this answer the moment the record syncs (至急)
    # The answer a section's one-tap button gives every unanswered item: "not_applicable"
    # (「この区分はすべて当たらない」) or "unseen" (「この区分は道路から確認できない」). The phone only.
    fast_path: Literal["not_applicable", "unseen"] | None = None

    @model_validator(mode="after")
    def _points_are_not_negative(self):
        negative = sorted(k for k, v in self.points.items() if v < 0)
        if negative:
            raise ValueError(f"points must not be negative: {', '.join(negative)} / 点数は0以上にしてください")
        return self


ItemType = Literal["choice", "multi", "boolean", "number", "text"]
# Who may read a text answer: the owner (printed in the owner's documents) or only the office.
Audience = Literal["owner", "internal"]


class Item(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    type: ItemType
    required: bool = False
    help: str | None = None
    show_if: Condition | None = None
    requires_option: str | None = None
    options: list[Option] = []
    unit: str | None = None
    min: int | float | None = None
    max: int | float | None = None
    integer: bool = False
    max_length: int | None = Field(default=None, ge=1)
    audience: Audience | None = None  # text items only; None = the default of server/rubrics/audience.py
    photo_slot: str | None = None  # a photo slot that must hold a photo when the answer is 異常あり

    @cached_property
    def has_unseen_option(self) -> bool:
        """Whether an answer of this item can say "could not be seen" (the statutory range asks per answer)."""
        return any(o.unseen for o in self.options)

    @cached_property
    def options_by_value(self) -> dict[tuple[type, object], Option]:
        """(type, value) -> option: a match is by type too, so True never matches 1."""
        return {(type(o.value), o.value): o for o in self.options}

    @model_validator(mode="after")
    def _fields_fit_the_type(self):
        problems = _type_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        if self.type == "boolean":
            # Always carry both answers, so scoring and the phone never special-case booleans.
            declared = {o.value: o for o in self.options}
            full = [declared.get(v) or Option(value=v, label=BOOLEAN_LABELS[v]) for v in (True, False)]
            object.__setattr__(self, "options", full)
        return self

    @model_validator(mode="after")
    def _audience_is_for_text(self):
        if self.audience is not None and self.type != "text":
            raise ValueError("audience belongs to text items only / audience はテキスト項目にだけ指定できます")
        return self


def _type_problems(item: Item) -> list[str]:
    problems = []
    kind = item.type
    if kind in ("choice", "multi"):
        if len(item.options) < (2 if kind == "choice" else 1):
            problems.append(f"a {kind} item needs {'two' if kind == 'choice' else 'one'} or more options"
                            " / 選択肢が足りません")
        if any(not isinstance(o.value, str) or not o.value for o in item.options):
            problems.append("option values of a choice or multi item must be non-empty text"
                            " / 選択肢の value は空でない文字列にしてください")
    elif kind == "boolean":
        if any(not isinstance(o.value, bool) for o in item.options):
            problems.append("option values of a boolean item must be true or false"
                            " / はい・いいえ項目の value は true か false にしてください")
    elif item.options:
        problems.append(f"a {kind} item cannot have options / {kind} 項目に選択肢は指定できません")
    if kind != "number" and (item.unit is not None or item.min is not None or item.max is not None or item.integer):
        problems.append("unit, min, max and integer belong to number items only"
                        " / unit・min・max・integer は数値項目にだけ指定できます")
    if kind == "number" and item.min is not None and item.max is not None and item.min > item.max:
        problems.append(f"min {item.min} is greater than max {item.max} / min が max より大きくなっています")
    if kind == "number" and item.integer and any(
        isinstance(b, float) and not b.is_integer() for b in (item.min, item.max)
    ):
        problems.append("an integer item needs whole-number bounds / 整数項目の min・max は整数にしてください")
    if kind == "text" and item.max_length is None:
        problems.append("a text item needs max_length / テキスト項目には max_length が必要です")
    if kind == "text" and item.max_length is not None and item.max_length > ANSWER_TEXT_MAX:
        problems.append(f"max_length {item.max_length} is over {ANSWER_TEXT_MAX}, the longest answer a push carries"
                        f" / max_length は {ANSWER_TEXT_MAX} 以下にしてください（送信できる回答の長さの上限）")
    if kind != "text" and item.max_length is not None:
        problems.append("max_length belongs to text items only / max_length はテキスト項目にだけ指定できます")
    return problems


class Section(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1)
    items: list[Item] = Field(min_length=1)


class PhotoSlot(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    required: bool = False
    help: str | None = None
    waiver_item: str | None = None  # a choice item whose answer (the reason) stands in for the photo
    # An item naming this slot (`photo_slot`) needs a photo in it once an answer of at least this
    # severity is chosen (2: only 異常あり; 1: any finding). The waiver stands in for it too.
    needed_from_severity: Literal[1, 2] = 2
    # Like an item's: the slot is shown (and, when required, needed) only when the task includes the
    # option and `show_if` holds, e.g. 草刈's before/after photos of each area the carrier mowed.
    requires_option: str | None = None
    show_if: Condition | None = None


class Category(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    cap: int | None = Field(default=None, ge=0)
    in_total: bool = True


class Band(_Strict):
    """An inclusive integer range of points; `max` omitted = no upper bound."""

    min: int = Field(ge=0)
    max: int | None = None

    @model_validator(mode="after")
    def _min_not_above_max(self):
        if self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max} / min が max より大きくなっています")
        return self


class Rank(Band):
    code: str = Field(min_length=1)
    label: str = Field(min_length=1)


class Level(Band):
    value: str = Field(min_length=1)


class Judgement(_Strict):
    """A verdict read off one category's (capped) points, e.g. 空き家可能性 低/中/高."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    category: str
    levels: list[Level] = Field(min_length=2)


class FlagDef(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    category: Literal["safety", "sanitation", "landscape", "living_environment"] | None = None
    level: Literal["notice", "action", "hazard"]
    urgency: Literal["urgent", "check", "watch"] | None = None


class Multiplier(_Strict):
    """Multiplies the total by percent/100 (floored) when `when` holds, e.g. 通学路 ×1.5 = 150."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    percent: int = Field(ge=1)
    when: Condition


class Statutory(_Strict):
    """The statutory 不良度 (住宅地区改良法施行規則 第1条): the capped points of `categories` summed,
    reported as a range when items were answered with an `unseen` option; `threshold` or more =
    不良住宅 (第1条第2項). Applies only when `applies_if` holds (別表第1: timber houses)."""

    label: str = Field(min_length=1)
    categories: list[str] = Field(min_length=1)
    threshold: int = Field(default=100, ge=1)
    applies_if: Condition | None = None
    not_applicable: str = Field(default="別表第1の対象外", min_length=1)
    # When this holds the table cannot be chosen (e.g. 構造「不明」): 判定不能, no range, never 対象外.
    undetermined_if: Condition | None = None
    undetermined_label: str = Field(default="判定不能（構造不明）", min_length=1)


class Scoring(_Strict):
    categories: list[Category] = []
    multipliers: list[Multiplier] = []
    ranks: list[Rank] = []
    judgements: list[Judgement] = []
    flags: list[FlagDef] = []
    total_label: str | None = None  # what documents call `total`, e.g. 危険度（自治体基準）
    statutory: Statutory | None = None


class Rubric(_Strict):
    id: str = Field(pattern=KEY_PATTERN)
    version: int = Field(ge=1)
    kind: Literal["survey", "watch", "disaster", "work"]
    title: str = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    photo_slots: list[PhotoSlot] = []
    scoring: Scoring = Scoring()
    reuse: ReuseRules | None = None  # 利活用判定 (survey v3 on): server/rubrics/reuse.py

    @cached_property
    def items_in_order(self) -> tuple[Item, ...]:
        """Every item of every section, in form order (computed once: scoring is on the sync hot path)."""
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def items_by_key(self) -> dict[str, Item]:
        return {item.key: item for item in self.items_in_order}

    @cached_property
    def items_with_urgent_options(self) -> tuple[Item, ...]:
        """The items an answer of which the office hears at once (most items have none)."""
        return tuple(item for item in self.items_in_order if any(o.urgent for o in item.options))

    def all_items(self) -> tuple[Item, ...]:
        return self.items_in_order

    def item(self, key: str) -> Item | None:
        return self.items_by_key.get(key)
