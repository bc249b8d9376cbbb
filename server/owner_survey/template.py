"""The town's letter text: a template the town edits per contract (server/owner_survey/queries.py keeps
it), the shipped default when it has not, and the placeholders a letter fills in.

The default text tells the owner the address came from 固定資産税の課税情報: the town may use it for this under
空家等対策の推進に関する特別措置法 第10条第1項 (its text: server/survey_candidates/__init__.py)."""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "questionnaires" / "owner_letter.default.txt"
PLACEHOLDERS = ("自治体名", "回答期限")
LETTER_TEXT_MAX = 2000
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def default_text() -> str:
    return DEFAULT_FILE.read_text(encoding="utf-8").strip()


def template_problems(text: str) -> list[str]:
    """Why a town's text cannot be used, in Japanese ([] when it can)."""
    problems = []
    if not text.strip():
        problems.append("文面が空です")
    if len(text) > LETTER_TEXT_MAX:
        problems.append(f"文面は{LETTER_TEXT_MAX}文字以内にしてください")
    unknown = sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        problems.append("使えない差し込み項目があります: " + "、".join("{" + n + "}" for n in unknown)
                        + "（使えるのは " + "、".join("{" + n + "}" for n in PLACEHOLDERS) + "）")
    return problems


def fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
