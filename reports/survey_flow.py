"""The survey report's 判定フロー: one page, drawn, from the houses of the contract to the owners' intention.

Each step says what decides it in this system and where the report states its criteria or results. It
says only what the system does: a step this contract's form does not take (no 別表第1 on a v1 form) says so, and the owners' intention survey, which the system does not yet carry out,
is drawn as not done. A form without 利活用判定 rules (before v3) has no such step, as its report has no
such chapter.
"""

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak

from reports.fonts import Fonts
from reports.model import SurveyReport
from reports.pdf_base import FRAME_WIDTH, INK, MUTED, RULE, SHADE, p

TITLE = "判定フロー"
NOT_DONE = colors.HexColor("#7b8794")
STEP_INK = colors.HexColor("#1f4e79")
NAME_MM = 40
FONT_SIZE = 9.4
LEADING = 13
PAD = 3.5 * mm
ARROW = 9 * mm
LABEL_MM = 17


class Step:
    def __init__(self, name: str, decides: str, where: str, done: bool = True):
        self.name, self.decides, self.where, self.done = name, decides, where, done


def flow_steps(r: SurveyReport) -> list[Step]:
    """The chain as this report's contract runs it, each step with its rule and the section that states it."""
    houses = len(r.rows) + r.not_included
    appendix = "「付録　調査票（様式）」" if r.blank_form else ""
    registered = (f"この契約に登録された家屋 {houses}件。うち郵便局が確認・承認した調査 {len(r.rows)}件が本報告書の対象です"
                  + (f"（ほかに未調査・確認中 {r.not_included}件）。" if r.not_included else "。"))
    if r.candidates is not None:
        lists = "、".join(f"{source} {count}件" for source, count in r.candidates.sources)
        candidates = Step("候補（調査対象）",
                          f"町の候補リスト（{lists}）を住所で家屋と照合し、{r.candidates.total}件の候補にまとめました。"
                          + registered, "「候補の抽出と結果の内訳」、表紙「調査件数」")
    else:
        candidates = Step("候補（調査対象）", registered, "表紙「調査件数」")
    steps = [
        candidates,
        Step("外観調査",
             f"配達員が公道から目視し、調査票「{r.rubric_title}」（第{r.rubric_version}版）の項目に回答して写真を撮ります。"
             "敷地・建物には立ち入りません。郵便局が内容を確認して承認します。",
             "「調査の方法」" + appendix),
        Step("空き家の可能性",
             "調査票の「現況（調査員の判断）」：高・中・低・居住中・更地・建替中・判断不能。"
             "判断の記入がない調査は、調査票の空き家判定点による目安（高・中・低）とします。",
             "「集計」「調査物件一覧」、各物件のページ" + appendix),
    ]
    if r.criteria:
        steps.append(Step("不良度（別表第1）",
                          "住宅地区改良法施行規則 別表第1 の評定項目と評点。道路から確認できない項目は幅（下限〜上限）で示し、"
                          "下限が100以上のときだけ不良住宅、100をまたぐときは判定不能とします。",
                          "「判定基準表」「集計」"))
    else:
        steps.append(Step("不良度（別表第1）", "この契約の調査票には別表第1の評定表がなく、不良度は算定していません。",
                          "「判定基準表」", done=False))
    if r.reuse is not None:  # a form without its rules prints nothing of it (as the report and the exports)
        steps.append(Step("利活用判定",
                          "調査票に定めた条件（接道・敷地・不良度・所見・台帳の建築年月日）を、区分の上から順に当てはめます。"
                          "外観と台帳からの目安で、資産価値の評価ではありません。",
                          "「利活用判定」（判定基準・区分ごとの件数・分布図）"))
    if r.owner_survey is not None:
        o = r.owner_survey
        steps.append(Step("所有者意向調査",
                          f"選んだ家屋の所有者に調査票を郵送し（発送 {o.sent}件、返戻 {o.returned}件）、"
                          f"Web と返信はがきで {o.answered}件の回答を受けました。意向は所有者の回答のままです。",
                          "「所有者意向調査」"))
    else:
        steps.append(Step("所有者意向調査", "所有者意向調査：未実施。本報告書に所有者の意向の結果はありません。", "―",
                          done=False))
    return steps


# Japanese line breaking (禁則): these never begin a line (they hang past the width into the box's padding) ...
NO_LINE_START = set("、。，．・：；？！）」』】〕％ー〜ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々")
# ... and these never end one (they go down with the next character).
NO_LINE_END = set("（「『【〔")


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines of at most `width` points, character by character (Japanese has no spaces), never
    a line that begins with 。 or ・ (hung on the line before) nor one that ends with （ or 「, and a number
    (100, 15件's 15) never split."""
    lines, line = [], ""
    for ch in text:
        if not line and ch in NO_LINE_START and lines:  # 。」 after a line just hung: hang it too
            lines[-1] += ch
        elif not line or stringWidth(line + ch, font, size) <= width:
            line += ch
        elif ch in NO_LINE_START:
            lines.append(line + ch)
            line = ""
        else:
            keep = len(line)
            while keep and (line[keep - 1] in NO_LINE_END or (line[keep - 1].isascii() and line[keep - 1].isalnum()
                                                                and ch.isascii() and ch.isalnum())):
                keep -= 1
            keep = keep or len(line)  # a line of nothing else: break it anyway
            lines.append(line[:keep])
            line = line[keep:] + ch
    return lines + [line] if line else lines


def flow_drawing(steps: list[Step], fonts: Fonts, width: float = FRAME_WIDTH) -> Drawing:
    """Boxes top to bottom joined by arrows: the step's name on the left, what decides it and where on the right."""
    font, name_w = fonts.gothic, NAME_MM * mm
    text_w = width - name_w - 2 * PAD
    boxes = []
    for step in steps:
        body = [("決め手　", line) for line in _lines(step.decides, font, FONT_SIZE, text_w - LABEL_MM * mm)]
        body += [("基準・結果", line) for line in _lines(step.where, font, FONT_SIZE, text_w - LABEL_MM * mm)]
        boxes.append((step, body, len(body) * LEADING + 2 * PAD))
    height = sum(h for _, _, h in boxes) + ARROW * (len(boxes) - 1)
    d = Drawing(width, height, initialFontName=font)  # not reportlab's Helvetica, which is never embedded
    y = height
    for n, (step, body, h) in enumerate(boxes):
        ink = STEP_INK if step.done else NOT_DONE
        d.add(Rect(0, y - h, width, h, strokeColor=ink, strokeWidth=1.2, fillColor=colors.white,
                   strokeDashArray=None if step.done else [3, 2]))
        d.add(Rect(0, y - h, name_w, h, strokeColor=ink, strokeWidth=1.2, fillColor=SHADE))
        d.add(String(PAD, y - h / 2 - 4, step.name, fontName=font, fontSize=11.5, fillColor=ink))
        previous = ""
        for k, (label, line) in enumerate(body):
            base = y - PAD - (k + 1) * LEADING + 3
            if label != previous:
                d.add(String(name_w + PAD, base, label.strip(), fontName=font, fontSize=FONT_SIZE - 1, fillColor=MUTED))
                previous = label
            d.add(String(name_w + PAD + LABEL_MM * mm, base, line, fontName=font, fontSize=FONT_SIZE, fillColor=INK))
        y -= h
        if n < len(boxes) - 1:
            x = name_w / 2
            d.add(Line(x, y, x, y - ARROW + 2, strokeColor=RULE, strokeWidth=1.5))
            d.add(Polygon([x - 4, y - ARROW + 4, x + 4, y - ARROW + 4, x, y - ARROW], fillColor=RULE, strokeColor=RULE))
            y -= ARROW
    return d


def flow_page(r: SurveyReport, st, fonts: Fonts) -> list:
    return [PageBreak(), p(TITLE, st.h2),
            p("調査対象から所有者の意向までの流れと、各段階を決めるもの、その基準・結果を載せた本報告書の章です。"
              "点線の段階は、この調査では行っていないものです。", st.small),
            flow_drawing(flow_steps(r), fonts)]
