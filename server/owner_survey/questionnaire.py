"""The owners' questionnaire as data (`questionnaires/<id>.v<version>.toml`), validated by pydantic with
every problem of a file reported at once, and the check of one owner's answers against it."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "owner_intention.v1.toml"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Choice(_Strict):
    value: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1, max_length=60)


class Question(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1, max_length=120)
    type: Literal["single", "multi", "text"]
    required: bool = False
    options: list[Choice] = []
    max_length: int = Field(default=200, ge=1, le=1000)

    @model_validator(mode="after")
    def _options_fit_type(self) -> "Question":
        if self.type == "text" and self.options:
            raise ValueError("a text question has no options / 自由記述の設問に選択肢は書けません")
        if self.type != "text" and len(self.options) < 2:
            raise ValueError("a choice question needs two options or more / 選択肢は2つ以上必要です")
        values = [o.value for o in self.options]
        if len(values) != len(set(values)):
            raise ValueError("option values repeat / 選択肢の value が重複しています")
        return self

    def label_of(self, value: str) -> str:
        return next((o.label for o in self.options if o.value == value), value)


class Questionnaire(_Strict):
    id: str = Field(pattern=KEY_PATTERN)
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys_unique(self) -> "Questionnaire":
        keys = [q.key for q in self.questions]
        if len(keys) != len(set(keys)):
            raise ValueError("question keys repeat / 設問の key が重複しています")
        return self

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


class QuestionnaireFileError(ValueError):
    """A questionnaire file that cannot be used; `errors` lists every problem, one line each."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def load_questionnaire(path: Path) -> Questionnaire:
    name = Path(path).name
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise QuestionnaireFileError([f"{name}: cannot read the file: {exc} / ファイルを読めません"]) from None
    try:
        return Questionnaire.model_validate(raw)
    except ValidationError as exc:
        raise QuestionnaireFileError(
            [f"{name}: {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()]) from None


@cache
def shipped() -> Questionnaire:
    return load_questionnaire(SHIPPED)


def answer_problems(questionnaire: Questionnaire, answers: dict) -> list[str]:
    """Every problem of one owner's answers, in Japanese, each naming its question ([] when they fit).
    A single answer is a value, a multi answer a list of values, a text answer a string."""
    problems = [f"「{key}」という設問はありません" for key in answers if questionnaire.question(key) is None]
    for q in questionnaire.questions:
        given = answers.get(q.key)
        if given in (None, "", []):
            if q.required:
                problems.append(f"「{q.label}」に答えてください")
            continue
        values = {o.value for o in q.options}
        if q.type == "single" and (not isinstance(given, str) or given not in values):
            problems.append(f"「{q.label}」の答えは選択肢から一つ選んでください")
        elif q.type == "multi" and (not isinstance(given, list) or not all(isinstance(v, str) and v in values
                                                                          for v in given)):
            problems.append(f"「{q.label}」の答えは選択肢から選んでください")
        elif q.type == "text" and (not isinstance(given, str) or len(given) > q.max_length):
            problems.append(f"「{q.label}」は{q.max_length}文字以内で書いてください")
    return problems
