"""What every PDF here shares: A4 page with footer and page numbers, styles on the
IPAex fonts (IPAmj明朝 for the characters they lack), photo cells, a document made safe
to print (〓 for characters no font has, long text cut and marked), and a reproducible
build (same data, same bytes)."""

import calendar
import io
import os
import time
from datetime import date
from itertools import groupby
from types import SimpleNamespace
from typing import TypeVar
from xml.sax.saxutils import escape

import msgspec
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, KeepInFrame, KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

from reports.dates import japanese_date, short_datetime
from reports.fonts import Fonts
from reports.glyphs import GETA, MissingGlyphs, checked, glyph_warnings
from reports.longtext import CLIP_NOTE, clipped
from reports.model import Photo

rl_config.useA85 = 0  # ASCII85 would grow every embedded JPEG by ~25 %

MARGIN = 15 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
FRAME_HEIGHT = A4[1] - 2 * MARGIN - 6 * mm - 8 * mm  # the frame build_pdf lays out, less the footer lines
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef2f5")
SEVERITY_INK = {0: colors.HexColor("#1d6b3a"), 1: colors.HexColor("#8a5a00"), 2: colors.HexColor("#b42318")}
SEVERITY_SHADE = {0: colors.white, 1: colors.HexColor("#fff4d6"), 2: colors.HexColor("#fde4e1")}
SEVERITY_MARK = {0: "○", 1: "△", 2: "×"}


class PhotoMissing(FileNotFoundError):
    """A photo file named in the data is not on disk."""


GETA_NOTE = f"フォントにない文字（絵文字など）は{GETA}で表示しています。"
T = TypeVar("T", bound=msgspec.Struct)


def prepare(doc: T, fonts: Fonts, substitute_missing: bool) -> tuple[T, list[str]]:
    """The document safe to lay out, and the notes that say what was changed for print.

    Characters no font has: MissingGlyphs names the fields, or (substitute_missing) 〓.
    Over-long fields are cut with their length stated (reports.longtext).
    """
    found = glyph_warnings(doc, fonts)
    if found and not substitute_missing:
        raise MissingGlyphs(found)
    if found:
        doc = checked(doc, fonts, substitute_missing=True)
    doc, cut = clipped(doc)
    return doc, [GETA_NOTE] * bool(found) + [CLIP_NOTE] * cut


def styles(fonts: Fonts, base: float = 10.5, formal: bool = False) -> SimpleNamespace:
    """Paragraph styles. Prose is Gothic (most legible for elderly readers, one subset
    less: ~38 KB and ~7 ms per document) unless `formal`, where it is Mincho."""
    def style(name, font, size, **kw):
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=kw.pop("leading", size * 1.45),
            textColor=kw.pop("textColor", INK), wordWrap="CJK", **kw,
        )

    g, m = fonts.gothic, (fonts.mincho if formal else fonts.gothic)
    made = SimpleNamespace(
        title=style("title", g, 20, leading=24, alignment=1),
        subtitle=style("subtitle", g, 12, alignment=1, textColor=MUTED, spaceAfter=4),
        h2=style("h2", g, base + 1.5, backColor=SHADE, borderPadding=(2, 4, 3, 4),
                 spaceBefore=7, spaceAfter=5, keepWithNext=1),
        body=style("body", m, base),
        text=style("text", g, base),
        small=style("small", g, base - 2, textColor=MUTED),
        small_right=style("small_right", g, base - 2, textColor=MUTED, alignment=2),
        cell=style("cell", g, base - 0.5),
        cell_head=style("cell_head", g, base - 0.5, textColor=MUTED),
        right=style("right", g, base, alignment=2),
        big=style("big", m, base + 3, leading=(base + 3) * 1.5),
    )
    for st in vars(made).values():
        st.akiya_fonts = fonts  # kept by clone(): p() finds the fallback font here
    return made


def markup(text: str, fonts: Fonts | None) -> str:
    """Escaped text; runs of characters only the fallback font has are set in it."""
    if fonts is None or fonts.fallback is None:
        return escape(text)
    return "".join(f'<font face="{fonts.fallback}">{escape("".join(run))}</font>' if other else escape("".join(run))
                   for other, run in groupby(text, key=fonts.needs_fallback))


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept)."""
    return Paragraph(markup(text, getattr(style, "akiya_fonts", None)).replace("\n", "<br/>"), style)


def table(rows, col_widths, st, cmds=(), head_rows=0, split_in_row=True) -> Table:
    """A table whose cells use our font (reportlab's default, Helvetica, is never embedded)."""
    # splitInRow: a row taller than the page is split across pages rather than a LayoutError. split_in_row=False
    # keeps rows whole (reportlab otherwise sometimes leaves the repeated head and an empty piece of a row at a
    # page's foot), unless a row is longer than half a page (a field of thousands of characters).
    t = Table(rows, colWidths=col_widths, repeatRows=head_rows, hAlign="LEFT", splitInRow=int(split_in_row))
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.cell.fontName), *cmds]))
    if not split_in_row:
        t.wrapOn(Canvas(io.BytesIO()), sum(col_widths), FRAME_HEIGHT)
        t.splitInRow = int(max(t._rowHeights, default=0) > FRAME_HEIGHT / 2)
    return t


def one_page(flowables: list, slack: float = 1.25) -> list:
    """`flowables` shrunk onto one page when they run a little over it (up to `slack` pages: a house sheet with
    many findings), else left to flow over pages as they are (a very long comment stays readable)."""
    scratch = Canvas(io.BytesIO())  # measuring only: some flowables (KeepTogether) wrap on a canvas
    height = sum(_height(f, scratch) + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)
    if height > FRAME_HEIGHT * slack:
        return flowables
    # On one page nothing splits: a KeepTogether (which cannot draw itself) gives way to what it holds.
    flat = [g for f in flowables for g in (f._content if isinstance(f, KeepTogether) else [f])]
    return [KeepInFrame(FRAME_WIDTH, FRAME_HEIGHT, flat, mode="shrink")]


def _height(f, canvas: Canvas) -> float:
    h = f.wrapOn(canvas, FRAME_WIDTH, FRAME_HEIGHT)[1]
    # KeepTogether answers 0xffffff to make the frame split it; it keeps its content's height in _H.
    return f._H if isinstance(f, KeepTogether) else h


def grid(rows, col_widths, st, *, head_rows=0, extra=(), split_in_row=True) -> Table:
    """A ruled table; `rows` hold Paragraphs or other flowables."""
    return table(rows, col_widths, st, head_rows=head_rows, split_in_row=split_in_row, cmds=[
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *([("BACKGROUND", (0, 0), (-1, head_rows - 1), SHADE)] if head_rows else []),
        *extra,
    ])


def field_table(pairs: list[tuple[str, object]], st, label_width=32 * mm, width=FRAME_WIDTH) -> Table:
    """Label | value rows, labels shaded."""
    rows = [[p(k, st.cell_head), p(v, st.cell) if isinstance(v, str) else v] for k, v in pairs]
    return grid(rows, [label_width, width - label_width], st,
                extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)])


def addressee(name: str, issued_on: date, reference: str, st) -> Table:
    """「山田 花子 様」 on the left; issue date and document number on the right."""
    right = [p(f"発行日　{japanese_date(issued_on)}", st.small_right), p(f"報告書番号　{reference}", st.small_right)]
    return table([[p(f"{name}　様", st.big), right]], [FRAME_WIDTH / 2] * 2, st,
                 [("VALIGN", (0, 0), (-1, -1), "BOTTOM")])


def photo_cell(photo: Photo | None, width: float, height: float, st, caption: str | None = None):
    """Image fitted into width × height, with slot label and capture time below."""
    if photo is None:
        return [p("（写真なし）", st.small)]
    if not os.path.isfile(photo.path):
        raise PhotoMissing(f"写真ファイルが見つかりません（{photo.slot_label}）: {photo.path}")
    image = Image(photo.path, width=width, height=height, kind="proportional")
    when = short_datetime(photo.taken_at) or "撮影日時不明"
    label = caption if caption is not None else photo.slot_label
    return [image, p(f"{label}　{when}", st.small)]


def photo_grid(photos: list[Photo], columns: int, st, image_height: float, width=FRAME_WIDTH) -> Table:
    cell_w = width / columns
    cells = [photo_cell(ph, cell_w - 8, image_height, st) for ph in photos]
    rows = [cells[i:i + columns] + [""] * (columns - len(cells[i:i + columns]))
            for i in range(0, len(cells), columns)]
    return table(rows, [cell_w] * columns, st, [
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ])


def _fixed_clock(when: date):
    """reportlab's TimeStamp for midnight of `when`, so CreationDate comes from the data."""
    t = calendar.timegm(when.timetuple())  # wall clock of the data, labelled UTC: machine-independent
    stamp = SimpleNamespace(t=t, lt=time.gmtime(t), dhh=0, dmm=0, tzname="UTC")
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def _fitted(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with … so that it fits in `width` on one line."""
    text = text[:int(width // (size / 2))]  # no glyph is narrower than half an em
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _draw_line(canvas, x: float, y: float, text: str, fonts: Fonts, size: float) -> None:
    """One line in Gothic, characters only the fallback font has in that font."""
    for other, run in groupby(text, key=fonts.needs_fallback):
        run = "".join(run)
        font = fonts.fallback if other else fonts.gothic
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, font, size)


def build_pdf(flowables, *, title: str, author: str, subject: str, issued_on: date, footer: str,
              fonts: Fonts, notes: list[str] = ()) -> bytes:
    """Lay out `flowables` on A4 and return the PDF bytes, identical for identical input.

    `notes` (from prepare: what was changed for print) are printed above the footer of every
    page, where they cost no layout: the owner's report stays two pages."""
    note = _fitted("　".join(f"※ {n}" for n in notes), fonts.gothic, 7.5, FRAME_WIDTH)
    footer = _fitted(footer, fonts.gothic, 8.5, FRAME_WIDTH - 25 * mm)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm, title=title, subject=subject, author=author,
        creator="akiya", producer="akiya (ReportLab)", invariant=1,
        initialFontName=fonts.gothic,  # else every page names Helvetica, a font never embedded
    )
    clock = _fixed_clock(issued_on)

    class PageCanvas(Canvas):
        """Holds each finished page until the end, then stamps the footer with 'n / total'."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = clock
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total):
            self.saveState()
            self.setFillColor(MUTED)
            _draw_line(self, MARGIN, MARGIN, footer, fonts, 8.5)
            if note:
                _draw_line(self, MARGIN, MARGIN + 10, note, fonts, 7.5)
            self.setFont(fonts.gothic, 8.5)
            self.drawRightString(A4[0] - MARGIN, MARGIN, f"{self._pageNumber} / {total}")
            self.restoreState()

    doc.build(flowables, canvasmaker=PageCanvas)
    return buf.getvalue()
