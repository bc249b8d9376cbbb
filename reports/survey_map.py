"""位置図・分布図: the surveyed houses of one 大字 as points drawn from their coordinates.

No map tiles: a plain plot (equirectangular, x scaled by cos(latitude) so distances look right),
each point coloured by its most urgent finding and labelled with its 整理番号.
"""

import math
from collections.abc import Callable

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import Fonts
from reports.model import URGENCIES, SurveyRow

COLOURS = {"至急": colors.HexColor("#b42318"), "要確認": colors.HexColor("#e07b00"),
           "経過観察": colors.HexColor("#c9a400"), "所見なし": colors.HexColor("#1d6b3a")}


def result_of(row: SurveyRow) -> str:
    return min((f.urgency for f in row.flags), key=URGENCIES.index, default="所見なし")


def district_map(rows: list[SurveyRow], fonts: Fonts, *, width: float, height: float,
                 colour_of: Callable[[SurveyRow], colors.Color] | None = None) -> Drawing:
    """colour_of: a point's colour (default: its most urgent finding, COLOURS)."""
    colour_of = colour_of or (lambda row: COLOURS[result_of(row)])
    d = Drawing(width, height, initialFontName=fonts.gothic)
    d.add(Rect(0, 0, width, height, strokeColor=colors.HexColor("#9aa5b1"), fillColor=colors.HexColor("#f7f9fa")))
    placed = [r for r in rows if r.property.lat is not None and r.property.lon is not None]
    if not placed:
        d.add(String(10, height / 2, "座標のある物件がありません", fontName=fonts.gothic, fontSize=10))
        return d
    lat0 = sum(r.property.lat for r in placed) / len(placed)
    k = math.cos(math.radians(lat0))
    xs = [r.property.lon * k for r in placed]
    ys = [r.property.lat for r in placed]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.002)  # at least ~200 m across
    pad = 24
    scale = min(width - 2 * pad, height - 2 * pad) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    points = [(row, width / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale) for row, x, y in zip(placed, xs, ys)]
    taken = [(px - 4.5, py - 4.5, px + 4.5, py + 4.5) for _, px, py in points]  # the dots, then each label placed
    for row, px, py in points:
        d.add(Circle(px, py, 4.5, fillColor=colour_of(row), strokeColor=colors.white, strokeWidth=0.8))
    for row, px, py in points:
        lx, ly = _label_spot(px, py, stringWidth(row.ref, fonts.gothic, LABEL_SIZE), taken, width, height)
        d.add(String(lx, ly, row.ref, fontName=fonts.gothic, fontSize=LABEL_SIZE))
    metres = _scale_bar(span, scale)
    bar = metres / 111_320 * scale
    d.add(Line(10, 10, 10 + bar, 10, strokeWidth=1.5))
    d.add(String(10, 14, f"{metres:,} m", fontName=fonts.gothic, fontSize=7))
    d.add(String(width - 12, height - 16, "N ↑", fontName=fonts.gothic, fontSize=9, textAnchor="end"))
    return d


LABEL_SIZE = 7
# Where a dot's 整理番号 may go, tried in order: right, left, above, below, the corners, then further out.
_SPOTS = [(6, -3), (-6, -3, "end"), (-8, 6), (-8, -11), (6, 5), (6, -10), (-6, 5, "end"), (-6, -10, "end")]


def _label_spot(px: float, py: float, w: float, taken: list, width: float, height: float) -> tuple[float, float]:
    """The first spot for a label of width `w` that overlaps no dot and no label placed before (close houses
    on a town-wide map), else the usual one on the right; the spot's box is added to `taken`."""
    def box(dx, dy, end=False):
        x0 = px + dx - (w if end else 0)
        return (x0, py + dy - 1, x0 + w, py + dy + LABEL_SIZE)

    candidates = [box(dx * f, dy * f, len(spot) > 2) for f in (1, 2) for spot in _SPOTS for dx, dy in [spot[:2]]]
    free = [b for b in candidates if 0 <= b[0] and b[2] <= width and 0 <= b[1] and b[3] <= height
            and not any(b[0] < t[2] and t[0] < b[2] and b[1] < t[3] and t[1] < b[3] for t in taken)]
    chosen = free[0] if free else candidates[0]
    taken.append(chosen)
    return chosen[0], chosen[1] + 1


def legend(fonts: Fonts, width: float, colours: dict[str, colors.Color] | None = None, step: float = 70) -> Drawing:
    d = Drawing(width, 14, initialFontName=fonts.gothic)
    x = 0
    for name, colour in (colours or COLOURS).items():
        d.add(Circle(x + 5, 5, 4, fillColor=colour, strokeColor=None))
        d.add(String(x + 12, 2, name, fontName=fonts.gothic, fontSize=8))
        x += step
    return d


def _scale_bar(span_degrees: float, scale: float) -> int:
    """A round length (m) about a fifth of the plotted width."""
    target = span_degrees * 111_320 / 5
    for metres in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if metres >= target:
            return metres
    return 10000
