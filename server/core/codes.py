"""Identifiers Japanese municipalities use: 全国地方公共団体コード and 不動産ID."""

import re

_WEIGHTS = (6, 5, 4, 3, 2)
_REAL_ESTATE_ID = re.compile(r"^(\d{13})-?(\d{4})$")


def municipality_check_digit(first_five: str) -> int:
    """Check digit of a 全国地方公共団体コード from its first five digits."""
    remainder = sum(int(d) * w for d, w in zip(first_five, _WEIGHTS)) % 11
    return (11 - remainder) % 10


def is_valid_municipality_code(code: str) -> bool:
    """True for a 6-digit code whose last digit is the right check digit (e.g. 131016 千代田区)."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    if not 1 <= int(code[:2]) <= 47:
        return False
    return municipality_check_digit(code[:5]) == int(code[5])


def normalize_real_estate_id(value: str) -> str | None:
    """不動産ID as `NNNNNNNNNNNNN-NNNN` (17 digits), or None when it is not one."""
    match = _REAL_ESTATE_ID.match(value.strip())
    return f"{match[1]}-{match[2]}" if match else None
