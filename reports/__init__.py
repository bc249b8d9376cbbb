"""Documents as pure functions from data: owner watch reports, post-disaster notices,
municipal survey reports (PDF) and their 空き家カルテ, and the survey's CSV, GeoJSON, Shapefile and photo ZIP, the
空き家バンク candidate list (CSV, ZIP). No SQL, no HTTP.

Build PDFs in worker processes (or under one lock): reportlab keeps module-level state.
"""

from reports.akiya_bank import akiya_bank_csv, akiya_bank_file_name, akiya_bank_zip
from reports.dates import era_date, japanese_date, japanese_datetime, japanese_month, western_date
from reports.disaster_notice import disaster_notice_pdf
from reports.fonts import FontNotFound, Fonts, load_fonts, missing_glyphs
from reports.glyphs import GETA, MissingGlyph, MissingGlyphs, glyph_warnings
from reports.house_karte import house_karte_pdf
from reports.owner_letters import render_owner_letters
from reports.owner_monthly import owner_monthly_pdf
from reports.pdf_base import PhotoMissing
from reports.survey_export import (CsvEncodingError, photo_index_csv, survey_csv, survey_file_name, survey_geojson,
                                   survey_photo_zip)
from reports.survey_shapefile import ShapefileEncodingError, survey_shapefile_files, survey_shapefile_zip
from reports.survey_pdf import survey_report_pdf, survey_report_pdfs_by_district

__all__ = [
    "akiya_bank_csv", "akiya_bank_file_name", "akiya_bank_zip",
    "CsvEncodingError", "ShapefileEncodingError", "survey_shapefile_files", "survey_shapefile_zip", "FontNotFound", "Fonts", "GETA", "MissingGlyph", "MissingGlyphs", "PhotoMissing",
    "disaster_notice_pdf", "house_karte_pdf", "era_date", "glyph_warnings", "japanese_date", "japanese_datetime",
    "japanese_month", "load_fonts", "missing_glyphs", "owner_monthly_pdf", "render_owner_letters", "survey_csv",
    "photo_index_csv", "survey_file_name", "survey_geojson", "survey_photo_zip", "survey_report_pdf",
    "survey_report_pdfs_by_district", "western_date",
]
