"""Documents as pure functions from data: owner watch reports, post-disaster notices,
municipal survey reports (PDF) and their 空き家カルテ, and the survey's CSV, GeoJSON, Shapefile and photo ZIP, the
空き家バンク candidate list (CSV, ZIP). No SQL, no HTTP.

Build PDFs in worker processes (or under one lock): reportlab keeps module-level state.
"""

import importlib

# Imported on first use (PEP 562): the server imports `reports` for its data model and dates, and
# reportlab (~0.15 s of every process start) only when a document is drawn or exported.
_HOMES = {
    "akiya_bank_csv": "akiya_bank", "akiya_bank_file_name": "akiya_bank", "akiya_bank_zip": "akiya_bank",
    "era_date": "dates", "japanese_date": "dates", "japanese_datetime": "dates", "japanese_month": "dates", "western_date": "dates",
    "disaster_notice_pdf": "disaster_notice",
    "FontNotFound": "fonts", "Fonts": "fonts", "load_fonts": "fonts", "missing_glyphs": "fonts",
    "GETA": "glyphs", "MissingGlyph": "glyphs", "MissingGlyphs": "glyphs", "glyph_warnings": "glyphs",
    "house_karte_pdf": "house_karte",
    "render_owner_letters": "owner_letters",
    "owner_monthly_pdf": "owner_monthly",
    "PhotoMissing": "pdf_base",
    "CsvEncodingError": "survey_export", "photo_index_csv": "survey_export", "survey_csv": "survey_export", "survey_file_name": "survey_export", "survey_geojson": "survey_export", "survey_photo_zip": "survey_export",
    "survey_report_pdf": "survey_pdf", "survey_report_pdfs_by_district": "survey_pdf",
    "ShapefileEncodingError": "survey_shapefile", "survey_shapefile_files": "survey_shapefile", "survey_shapefile_zip": "survey_shapefile",
}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'reports' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"reports.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


__all__ = list(_HOMES)
