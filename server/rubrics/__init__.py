"""Rubrics: versioned TOML forms for surveys and watch visits, and the engine that scores them."""

from .client import rubric_to_client
from .engine import answer_errors, check_photos, compare, is_visible, score, shown_slots, visible_items
from .loader import RubricFileError, RubricRegistry, check_rubric_files, load_rubric_file
from .model import FLAG_CATEGORIES, FLAG_LEVELS, SERVICE_OPTIONS, WORK_OPTIONS, Item, Rubric
from .results import AnswerError, Change, Flag, InvalidAnswers, Result

__all__ = [
    "FLAG_CATEGORIES", "FLAG_LEVELS", "SERVICE_OPTIONS", "WORK_OPTIONS",
    "AnswerError", "Change", "Flag", "InvalidAnswers", "Item", "Result", "Rubric",
    "RubricFileError", "RubricRegistry",
    "answer_errors", "check_photos", "check_rubric_files", "compare", "is_visible",
    "load_rubric_file", "rubric_to_client", "score", "shown_slots", "visible_items",
]
