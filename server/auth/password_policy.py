"""What a new password must be: at least 12 characters, not containing the login, and not guessable.

Every check reads the password after NFKC normalisation (full-width ｐａｓｓｗｏｒｄ１２３４ is
password1234 to the checks; NIST SP 800-63B §5.1.1.2: "the verifier SHOULD apply the
Normalization Process for Stabilized Strings using either the NFKC or NFKD normalization"), compared
without case. The login is refused inside the password, and so is its stem without trailing
digits (login sec3admin3: sec3admin1234 is refused) when that stem is 4 characters or more.
"Guessable" is zxcvbn's estimate (the maintained Python port of Dropbox's estimator): it knows
the common passwords, dictionary words, names, keyboard rows, repeats, sequences and dates,
and the login, the person's name and their organisation's name given to it (§5.1.1.2's
"context-specific words, such as the name of the service, the username, and derivatives thereof"). It must rate the password 3 of 4 or better (about 10^10 guesses or
more). The demo town's accounts are the only ones that bypass this (seed-demo).

The password itself is stored and compared as typed; only the checks normalise.
"""

from __future__ import annotations

import unicodedata

from server.core import problems

MIN_LENGTH = 12
MIN_SCORE = 3
_CHECKED_LENGTH = 72  # zxcvbn refuses longer input; a longer passphrase is judged by its start
_MIN_STEM = 4  # a login's stem shorter than this would refuse too many unrelated passwords

# zxcvbn's warnings, said so that the person knows what to change.
_WHY = {
    "This is a top-10 common password.": "非常によく使われるパスワードです。",
    "This is a top-100 common password.": "非常によく使われるパスワードです。",
    "This is a very common password.": "よく使われるパスワードです。",
    "This is similar to a commonly used password.": "よく使われるパスワードに似ています。",
    "A word by itself is easy to guess.": "単語ひとつだけでは推測されやすいです。",
    "Names and surnames by themselves are easy to guess.": "名前や名字だけでは推測されやすいです。",
    "Common names and surnames are easy to guess.": "よくある名前や名字は推測されやすいです。",
    "Straight rows of keys are easy to guess.": "キーボードの並び（qwerty など）は推測されやすいです。",
    "Short keyboard patterns are easy to guess.": "キーボードの並び（qwerty など）は推測されやすいです。",
    'Repeats like "aaa" are easy to guess.': "同じ文字の繰り返し（aaa など）は推測されやすいです。",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        "同じ並びの繰り返し（abcabc など）は推測されやすいです。",
    'Sequences like "abc" or "6543" are easy to guess.': "連続した文字や数字（abc、6543 など）は推測されやすいです。",
    "Recent years are easy to guess.": "最近の年（2025 など）は推測されやすいです。",
    "Dates are often easy to guess.": "日付は推測されやすいです。",
}


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _contains_login(password: str, login: str) -> bool:
    stem = login.rstrip("0123456789-_.")
    return bool(login) and (login in password or (len(stem) >= _MIN_STEM and stem in password))


def password_problem(password: str, login: str = "", name: str = "", organisation: str = "") -> str | None:
    """What is wrong with this password, in Japanese (None: it may be used)."""
    password, login = unicodedata.normalize("NFKC", password), _folded(login)
    if len(password) < MIN_LENGTH:
        return (f"パスワードは{MIN_LENGTH}文字以上にしてください（今は{len(password)}文字です）。"
                "関係のない単語をいくつか組み合わせると、覚えやすく推測されにくくなります。")
    if _contains_login(password.casefold(), login):
        return "パスワードにログイン名（またはその一部）を使わないでください。ログイン名とは関係のないものにしてください。"
    hints = [_folded(x) for x in (login, name, organisation) if x]
    from zxcvbn import zxcvbn  # its word lists cost ~40 ms: only a process that sets a password pays it

    estimate = zxcvbn(password[:_CHECKED_LENGTH], user_inputs=hints + [w for x in hints for w in x.split()])
    if estimate["score"] >= MIN_SCORE:
        return None
    why = _WHY.get(estimate["feedback"]["warning"], "推測されやすい並び（ログイン名や名前、よく使われる言葉など）を含んでいます。")
    return (f"このパスワードは使えません。{why}"
            "関係のない単語をいくつか組み合わせるなど、推測されにくいものにしてください。")


def check_password(password: str, login: str = "", name: str = "", organisation: str = "") -> None:
    """Raise a 400 `weak_password` saying what to change."""
    problem = password_problem(password, login, name, organisation)
    if problem:
        raise problems.WEAK_PASSWORD(reason=problem, details={"min_length": MIN_LENGTH})
