"""Sheet-size photos for the survey report: each photo embedded once, at the size it is printed.

A house sheet prints three photos in a row, each within about 51 × 38 mm. The report-size derivative
(800 px, made at ingest for the owner's report, where photos print 80 mm wide) carries more pixels than
that box needs: at 400 px the sheet photo is about 200 dpi on paper, above what an office laser printer
resolves in a photo, at under a third of the bytes (bench/survey_size.py measures the report per 1,000
houses with three photos each). Derivatives are made once per source file (keyed by path, size and
mtime) in a cache folder and reused by every later build; a photo already at most that size is used as
it is."""

import hashlib
import os
from pathlib import Path

import msgspec
from PIL import Image

from reports.model import SurveyReport

SHEET_LONG_EDGE = 400  # px: about 200 dpi at the 51 mm a sheet prints
SHEET_QUALITY = 65


def sheet_photos(report: SurveyReport, cache_dir: Path) -> SurveyReport:
    cache_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for row in report.rows:
        photos = [msgspec.structs.replace(ph, path=str(_derivative(Path(ph.path), cache_dir))) for ph in row.photos]
        rows.append(msgspec.structs.replace(row, photos=photos))
    return msgspec.structs.replace(report, rows=rows)


def _derivative(source: Path, cache_dir: Path) -> Path:
    stat = source.stat()
    key = hashlib.sha256(f"{os.path.abspath(source)}|{stat.st_size}|{stat.st_mtime_ns}|{SHEET_LONG_EDGE}|{SHEET_QUALITY}"
                         .encode()).hexdigest()[:32]
    target = cache_dir / f"{key}.jpg"
    if target.exists():
        return target
    with Image.open(source) as image:
        if max(image.size) <= SHEET_LONG_EDGE:
            return source
        image.draft("RGB", (SHEET_LONG_EDGE, SHEET_LONG_EDGE))  # let the decoder scale when it can
        image = image.convert("RGB")
        image.thumbnail((SHEET_LONG_EDGE, SHEET_LONG_EDGE), Image.Resampling.LANCZOS)
        partial = target.with_suffix(f".{os.getpid()}.part")
        image.save(partial, "JPEG", quality=SHEET_QUALITY, optimize=True, progressive=True)
    os.replace(partial, target)
    return target
