"""Bar charts (reportlab.graphics) in our fonts, for the survey summary."""

import math

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from reports.fonts import Fonts

PALETTE = [colors.HexColor("#3e6e8e"), colors.HexColor("#c8553d"), colors.HexColor("#8aa29e"),
           colors.HexColor("#f2a541"), colors.HexColor("#6b4e71"), colors.HexColor("#56876d")]


def bar_chart(title: str, labels: list[str], series: list[list[int]], fonts: Fonts, *,
              width: float, height: float, legend: list[str] | None = None) -> Drawing:
    """Vertical bars, one group per label, one bar per series; counts printed on the bars."""
    d = Drawing(width, height, initialFontName=fonts.gothic)  # not reportlab's Helvetica
    d.add(String(0, height - 12, title, fontName=fonts.gothic, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 28
    chart.width, chart.height = width - 40 - (70 if legend else 0), height - 58
    chart.data = series
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = fonts.gothic
    chart.categoryAxis.labels.fontSize = 8 if max(map(len, labels), default=0) < 6 else 6.5
    top = max((v for s in series for v in s), default=0)
    step = max(1, math.ceil(top / 5))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, step * 6, step
    chart.valueAxis.labels.fontName = fonts.gothic
    chart.valueAxis.labels.fontSize = 7
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.gothic
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.barSpacing = 1
    for i in range(len(series)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    d.add(chart)
    if legend:
        key = Legend()
        key.x, key.y = width - 68, height - 30
        key.fontName, key.fontSize = fonts.gothic, 8
        key.colorNamePairs = [(PALETTE[i % len(PALETTE)], name) for i, name in enumerate(legend)]
        d.add(key)
    return d
