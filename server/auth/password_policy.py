"""What a new password must be: at least 12 characters, not the login, and not guessable.

"Guessable" is zxcvbn's estimate (the maintained Python port of Dropbox's estimator): it knows
the common passwords, dictionary words, names, keyboard rows, repeats, sequences and dates,
and the login and name given to it. It must rate the password 3 of 4 or better (about 10^10
guesses or more). The demo town's accounts are the only ones that bypass this (seed-demo).
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from server.core import problems

MIN_LENGTH = 12
MIN_SCORE = 3
_CHECKED_LENGTH = 72  # zxcvbn refuses longer input; a longer passphrase is judged by its start

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


def password_problem(password: str, login: str = "", name: str = "") -> str | None:
    """What is wrong with this password, in Japanese (None: it may be used)."""
    if len(password) < MIN_LENGTH:
        return (f"パスワードは{MIN_LENGTH}文字以上にしてください（今は{len(password)}文字です）。"
                "関係のない単語をいくつか組み合わせると、覚えやすく推測されにくくなります。")
    if login and password.casefold() == login.casefold():
        return "パスワードにログイン名をそのまま使わないでください。ログイン名とは違うものにしてください。"
    estimate = zxcvbn(password[:_CHECKED_LENGTH], user_inputs=[x for x in (login, name) if x])
    if estimate["score"] >= MIN_SCORE:
        return None
    why = _WHY.get(estimate["feedback"]["warning"], "推測されやすい並び（ログイン名や名前、よく使われる言葉など）を含んでいます。")
    return (f"このパスワードは使えません。{why}"
            "関係のない単語をいくつか組み合わせるなど、推測されにくいものにしてください。")


def check_password(password: str, login: str = "", name: str = "") -> None:
    """Raise a 400 `weak_password` saying what to change."""
    problem = password_problem(password, login, name)
    if problem:
        raise problems.WEAK_PASSWORD(reason=problem, details={"min_length": MIN_LENGTH})
