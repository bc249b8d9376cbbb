"""ARCHITECTURE.md stays true: every path it names exists, and one inspection's path from the phone
to the owner's PDF is a numbered list of at most ten files."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
PATH_LIKE = re.compile(r"`([\w./-]+/[\w./-]*|[\w-]+\.(?:py|js|md|toml|json))`")


def _section(title: str) -> str:
    start = TEXT.index(f"## {title}")
    end = TEXT.find("\n## ", start + 1)
    return TEXT[start:end if end != -1 else None]


def named_paths(text: str) -> set[str]:
    return {match for match in PATH_LIKE.findall(text) if not match.startswith(("/", "POST", "GET"))}


def test_every_path_the_architecture_names_exists():
    names = named_paths(TEXT)
    assert len(names) > 20, names  # the reader regex still finds the paths
    missing = sorted(name for name in names if not (ROOT / name).exists())
    assert not missing, f"ARCHITECTURE.md names paths that do not exist: {missing}"


def test_one_inspection_path_is_at_most_ten_files_each_named_once():
    steps = re.findall(r"^\d+\. `([^`]+)`", _section("One inspection, from the phone to the owner's PDF"),
                       re.MULTILINE)
    assert 5 <= len(steps) <= 10, steps
    assert len(set(steps)) == len(steps), "a file named twice means going back"
    assert all((ROOT / step).is_file() for step in steps), steps


def test_the_path_starts_on_the_phone_and_ends_in_the_pdf_renderer():
    steps = re.findall(r"^\d+\. `([^`]+)`", _section("One inspection, from the phone to the owner's PDF"),
                       re.MULTILINE)
    assert steps[0].startswith("field_app/") and steps[-1].startswith("reports/")
