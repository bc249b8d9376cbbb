"""The demo town's owners' survey by post (server/owner_survey/): letters to 15 owners, 8 answers (5 on the
answer page, 3 postcards typed in by the clerk) and 2 letters the post brought back."""

from __future__ import annotations

LETTERS = 15
WEB_ANSWERS = [
    {"current_use": "unused", "intention": "sell", "troubles": ["distance", "cost"], "akiya_bank": "yes",
     "contact_consent": "yes", "contact": "平日の日中 090-0000-0001"},
    {"current_use": "unused", "intention": "demolish", "troubles": ["demolition_cost"], "akiya_bank": "no",
     "contact_consent": "yes"},
    {"current_use": "unused", "intention": "let", "troubles": ["belongings", "buyer"], "akiya_bank": "yes",
     "contact_consent": "yes", "contact": "メールでお願いします demo@example.jp"},
    {"current_use": "occasional", "intention": "own_use", "troubles": ["distance"], "akiya_bank": "no",
     "contact_consent": "no"},
    {"current_use": "storage", "intention": "undecided", "troubles": ["inheritance", "advice"], "akiya_bank": "info",
     "contact_consent": "yes"},
]
PAPER_ANSWERS = [
    {"current_use": "unused", "intention": "maintain", "troubles": ["cost"], "contact_consent": "no"},
    {"current_use": "unused", "intention": "sell", "troubles": ["distance", "demolition_cost"], "akiya_bank": "info",
     "contact_consent": "yes"},
    {"current_use": "storage", "intention": "undecided", "troubles": ["none"], "contact_consent": "no"},
]
RETURNED = ["あて所に尋ねあたりません", "転居先不明"]
