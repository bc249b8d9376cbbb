"""The letters of the owners' intention survey (所有者意向調査): for each owner three A4 pages, folded in
three into a 長3 window envelope (120 × 235 mm, JIS S 5502).

1. The letter: the address block where the envelope's window is, the town's letterhead, its text, the
   house the letter is about, the answer deadline, the short URL, the 回答コード and its QR code.
2. The questionnaire (every question and option, to fill in on paper or to read before answering online).
3. The reply postcard (官製はがき 100 × 148 mm, cut along the frame): the code and the questions as boxes.

The window. The address window of an envelope must be at least 45 × 80 mm (郵便規則, as
service.imura.co.jp/envelope_knowledge_000/index5 quotes it) and keep clear of the envelope's edges (35 mm
at the stamp end, 12 mm elsewhere: hatasho.com/entry1.html). We assume the common 長3 window of 90 × 45 mm
whose top-left corner lies 20 mm from the left and 15 mm from the top edge of the A4 sheet (the top third
faces the window once folded); the address is drawn inside it with a 5 mm margin, because the folded sheet (99 mm
high) moves in an envelope 120 mm high. Makers' windows differ: a town checks one printed letter against
its envelopes (the faint corner marks show where the text must stay) before printing them all.

No customer barcode (カスタマバーコード) is printed: see README, 「所有者意向調査」.
Rendering is a pure function from `reports.letters_model.OwnerLetters` to PDF bytes."""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from reports.fonts import Fonts
from reports.glyphs import checked
from reports.letters_model import OwnerLetter, OwnerLetters
from reports.pdf_base import INK, MUTED, RULE, markup, styles

PAGE_W, PAGE_H = A4
WINDOW_X, WINDOW_Y, WINDOW_W, WINDOW_H = 20 * mm, 15 * mm, 90 * mm, 45 * mm  # from the sheet's top-left
INSET = 5 * mm
FOLD = PAGE_H / 3
POSTCARD_W, POSTCARD_H = 100 * mm, 148 * mm


def render_owner_letters(doc: OwnerLetters, fonts: Fonts, substitute_missing: bool = True) -> bytes:
    """The PDF; a character no font has becomes 〓 (or MissingGlyphs when not `substitute_missing`): the clerk
    sees it on the printed letter, which is never sent with a wrong name unseen."""
    doc = checked(doc, fonts, substitute_missing)
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(f"{doc.municipality} 所有者意向調査 送付文書")
    c.setAuthor(doc.municipality)
    st = styles(fonts, base=10.5, formal=True)
    for letter in doc.letters:
        _letter_page(c, doc, letter, fonts, st)
        c.showPage()
        _questionnaire_page(c, doc, letter, fonts, st)
        c.showPage()
        _postcard_page(c, doc, letter, fonts, st)
        c.showPage()
    if doc.not_sent or not doc.letters:
        _not_sent_page(c, doc, st)
        c.showPage()
    c.save()
    return out.getvalue()


def _top(y_from_top: float) -> float:
    return PAGE_H - y_from_top


def _para(c: Canvas, text: str, style, x: float, y_top: float, width: float) -> float:
    """Draws `text` with its top at y_top; returns the y below it."""
    para = Paragraph(markup(text, fonts=getattr(style, "akiya_fonts", None)).replace("\n", "<br/>"), style)
    _, h = para.wrap(width, PAGE_H)
    para.drawOn(c, x, y_top - h)
    return y_top - h


def _address_block(c: Canvas, letter: OwnerLetter, fonts: Fonts, st) -> None:
    left, top = WINDOW_X + INSET, _top(WINDOW_Y + INSET)
    width = WINDOW_W - 2 * INSET
    c.setStrokeColor(RULE)
    c.setLineWidth(0.3)
    for (x, y, dx, dy) in ((WINDOW_X, _top(WINDOW_Y), 1, -1), (WINDOW_X + WINDOW_W, _top(WINDOW_Y), -1, -1),
                           (WINDOW_X, _top(WINDOW_Y + WINDOW_H), 1, 1),
                           (WINDOW_X + WINDOW_W, _top(WINDOW_Y + WINDOW_H), -1, 1)):
        c.line(x, y, x + dx * 3 * mm, y)
        c.line(x, y, x, y + dy * 3 * mm)
    address = st.text.clone("address", fontSize=10.5, leading=14)
    name = st.text.clone("name", fontSize=13, leading=17)
    y = _para(c, f"〒{letter.postal_code[:3]}-{letter.postal_code[3:]}", address, left, top, width)
    y = _para(c, letter.owner_address, address, left, y - 1 * mm, width)
    _para(c, f"{letter.owner_name} 様", name, left, y - 2 * mm, width)


def _qr(c: Canvas, payload: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


def _letter_page(c: Canvas, doc: OwnerLetters, letter: OwnerLetter, fonts: Fonts, st) -> None:
    _address_block(c, letter, fonts, st)
    right_x, right_w = 125 * mm, PAGE_W - 125 * mm - 15 * mm
    small = st.small_right
    y = _para(c, doc.issued_on_text, small, right_x, _top(18 * mm), right_w)
    y = _para(c, doc.letterhead, st.right.clone("head", fontSize=11), right_x, y - 3 * mm, right_w)
    c.setStrokeColor(RULE)
    c.setDash(1, 2)
    c.line(10 * mm, _top(FOLD), PAGE_W - 10 * mm, _top(FOLD))  # the fold: nothing below shows in the window
    c.setDash()
    left, width = 20 * mm, PAGE_W - 40 * mm
    lines = doc.letter_text.split("\n", 1)
    y = _para(c, lines[0], st.h2.clone("lt", alignment=1, backColor=None), left, _top(FOLD + 6 * mm), width)
    body = st.body.clone("lb", fontSize=10.5, leading=17)
    text = lines[1] if len(lines) > 1 else ""
    closing = text.rstrip().rsplit("\n", 1)
    if len(closing) == 2 and closing[1].strip() in ("敬具", "以上", "草々"):  # the closing word sits on the right
        y = _para(c, closing[0], body, left, y - 4 * mm, width)
        y = _para(c, closing[1].strip(), body.clone("close", alignment=2), left, y, width)
    else:
        y = _para(c, text, body, left, y - 4 * mm, width)
    y = _para(c, "記", st.body.clone("ki", alignment=1), left, y - 4 * mm, width)
    facts = [("対象の建物", letter.house_address), ("回答期限", doc.deadline_text),
             ("回答ページ", doc.answer_url), ("回答コード", letter.printed_code)]
    label = st.text.clone("fl", fontSize=10.5, leading=16)
    qr_size = 32 * mm
    top_of_facts = y - 4 * mm
    for key, value in facts:
        _para(c, key, label, left, y - 4 * mm, 28 * mm)
        style = st.text.clone("fv", fontSize=14 if key == "回答コード" else 10.5, leading=18 if key == "回答コード" else 16)
        y = _para(c, value, style, left + 30 * mm, y - 4 * mm, width - 30 * mm - qr_size - 4 * mm)
    _qr(c, letter.qr_payload, PAGE_W - 20 * mm - qr_size, top_of_facts - qr_size, qr_size)
    y = min(y, top_of_facts - qr_size) - 6 * mm
    _para(c, doc.contact, st.small, left, y, width)


def _questionnaire_page(c: Canvas, doc: OwnerLetters, letter: OwnerLetter, fonts: Fonts, st) -> None:
    left, width = 20 * mm, PAGE_W - 40 * mm
    y = _para(c, doc.questionnaire_title, st.title.clone("qt", fontSize=16, leading=20), left, _top(18 * mm), width)
    y = _para(c, f"対象の建物：{letter.house_address}　　回答コード：{letter.printed_code}", st.small, left,
              y - 4 * mm, width)
    q_style = st.text.clone("q", fontSize=11, leading=15)
    o_style = st.text.clone("o", fontSize=10.5, leading=15)
    for number, question in enumerate(doc.questions, 1):
        hint = {"multi": "（いくつでも）", "single": "（一つ）", "text": ""}[question.kind]
        y = _para(c, f"問{number}　{question.label}{hint if hint not in question.label else ''}", q_style, left,
                  y - 5 * mm, width)
        if question.kind == "text":
            c.setStrokeColor(MUTED)
            c.rect(left + 6 * mm, y - 22 * mm, width - 6 * mm, 20 * mm)
            y -= 22 * mm
            continue
        y = _para(c, "　".join(f"□ {o}" for o in question.options), o_style, left + 6 * mm, y - 2 * mm, width - 6 * mm)
    _para(c, "Webで回答した場合は、はがきの返送は不要です。ご協力ありがとうございました。", st.small, left, y - 8 * mm,
          width)


def _postcard_page(c: Canvas, doc: OwnerLetters, letter: OwnerLetter, fonts: Fonts, st) -> None:
    x, y0 = (PAGE_W - POSTCARD_W) / 2, _top(20 * mm) - POSTCARD_H
    _para(c, "返信はがき（枠線で切り取り、はがきとしてお送りください）", st.small, x, _top(12 * mm), POSTCARD_W)
    c.setStrokeColor(INK)
    c.setDash(3, 2)
    c.rect(x, y0, POSTCARD_W, POSTCARD_H)
    c.setDash()
    inner_x, inner_w = x + 6 * mm, POSTCARD_W - 12 * mm
    y = _para(c, f"回答コード {letter.printed_code}", st.text.clone("pc", fontSize=11), inner_x, y0 + POSTCARD_H - 6 * mm,
              inner_w)
    small = st.text.clone("pq", fontSize=8.5, leading=11.5)
    for number, question in enumerate(doc.questions, 1):
        if question.kind == "text":
            y = _para(c, f"問{number} {question.label}", small, inner_x, y - 2 * mm, inner_w)
            c.setStrokeColor(MUTED)
            c.rect(inner_x, y - 14 * mm, inner_w, 13 * mm)
            y -= 14 * mm
            continue
        y = _para(c, f"問{number} {question.label}", small, inner_x, y - 2.5 * mm, inner_w)
        y = _para(c, "　".join(f"□{o}" for o in question.options), small, inner_x + 3 * mm, y - 0.5 * mm,
                  inner_w - 3 * mm)
    _para(c, f"{doc.municipality}　{doc.deadline_text}までにご投函ください", small, inner_x, y - 3 * mm, inner_w)


def _not_sent_page(c: Canvas, doc: OwnerLetters, st) -> None:
    """For the clerk, never mailed: the selected houses no letter was made for, and why."""
    left, width = 20 * mm, PAGE_W - 40 * mm
    y = _para(c, "送付文書を作らなかった候補（事務用・送付しない）", st.h2, left, _top(20 * mm), width)
    if not doc.not_sent:
        _para(c, "ありません。", st.text, left, y - 4 * mm, width)
    for house, why in doc.not_sent:
        y = _para(c, f"{house}　— {why}", st.text, left, y - 3 * mm, width)
