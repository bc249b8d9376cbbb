"""One-time 回答コード: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), drawn with
`secrets` (31^12 ≈ 2^59 codes: unguessable at any rate the answer page allows). Only the sha256 of the
normalised code is stored; the URL carries the code and nothing about the owner or the house."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalised(typed: str) -> str:
    """What an owner typed, as the code: full-width and lower case fold, hyphens and spaces go."""
    text = unicodedata.normalize("NFKC", typed or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def code_hash(typed: str) -> str:
    return hashlib.sha256(normalised(typed).encode("ascii", "replace")).hexdigest()


def printed(code: str) -> str:
    """ABCD-EFGH-JKMN: read aloud and typed in groups of four."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
