"""Serving the carrier's PWA (field_app/) at /app/."""

from __future__ import annotations

from pathlib import Path

from litestar.static_files import create_static_files_router

FIELD_APP_DIR = Path(__file__).resolve().parent.parent / "field_app"


def field_app_routes() -> list:
    if not FIELD_APP_DIR.is_dir():
        return []
    return [create_static_files_router(path="/app", directories=[FIELD_APP_DIR], html_mode=True,
                                       include_in_schema=False, name="field_app")]
