"""「台帳と相違」: where the municipality's ledger (構造・用途 of the property) disagrees with the survey.

別表第1 of 住宅地区改良法施行規則 scores 住宅 (第1条第1項第1号: 鉄筋コンクリート造・コンクリートブロック造の
住宅を除く), so a survey answered 木造 for a house the ledger records as 鉄骨造, or a statutory score given to
a building the ledger records as a shop, is something the clerk and the municipality must see.
The ledger's wording is free text; only words that name a structure or a dwelling are read.
"""

# Ledger wording -> the survey's structure_type value; first match wins (鉄筋コンクリート before 鉄骨).
_STRUCTURE_WORDS = (("鉄筋コンクリート", "rc"), ("ＲＣ", "rc"), ("RC", "rc"), ("SRC", "rc"),
                    ("ブロック", "block"), ("鉄骨", "steel"), ("木", "wooden"))
_STRUCTURE_LABELS = {"wooden": "木造", "steel": "鉄骨造", "rc": "鉄筋コンクリート造", "block": "ブロック造"}
_DWELLING_WORDS = ("住宅", "住居", "居宅", "共同住宅", "長屋", "寄宿舎", "併用")


def _structure_of(text: str) -> str | None:
    return next((key for word, key in _STRUCTURE_WORDS if word in text), None)


def ledger_differences(building_use: str, structure: str, answers: dict, *, statutory_scored: bool) -> list[str]:
    """Sentences for each disagreement, e.g. 「構造：台帳は鉄骨造、調査の回答は木造」; [] when they agree or
    the ledger says nothing. `statutory_scored`: the visit was given a 別表第1 score (用途 matters then)."""
    out = []
    answered = answers.get("structure_type")
    recorded = _structure_of(structure or "")
    if recorded and answered in _STRUCTURE_LABELS and answered != recorded:
        out.append(f"構造：台帳は{structure}、調査の回答は{_STRUCTURE_LABELS[answered]}")
    use = (building_use or "").strip()
    if statutory_scored and use and not any(word in use for word in _DWELLING_WORDS):
        out.append(f"用途：台帳は{use}（不良度の別表第1は住宅の基準です）")
    return out
