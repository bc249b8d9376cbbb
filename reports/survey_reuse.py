"""The survey report's chapter 利活用判定: what the class is and is not, the criteria table printed from the
form's rules, the number of houses in each class, and the houses by class with their reasons."""

import re

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from reportlab.lib import colors

from reports.fonts import Fonts
from reports.model import ReuseCriteria, SurveyReport
from reports.pdf_base import FRAME_WIDTH, grid, p
from reports.survey_map import district_map, legend

TITLE = "利活用判定"
CLASS_COLOURS = {"そのまま活用可能": colors.HexColor("#1d6b3a"), "修繕により活用可能": colors.HexColor("#e07b00"),
                 "除却が望ましい": colors.HexColor("#b42318"), "判定不能": colors.HexColor("#7b8794")}


def reuse_counts(r: SurveyReport) -> dict[str, int]:
    """Class label -> houses, every class of the criteria listed (0 included), in printing order."""
    counts = {label: 0 for label in r.reuse.labels} if r.reuse else {}
    for row in r.rows:
        if row.reuse is not None:
            counts[row.reuse.label] = counts.get(row.reuse.label, 0) + 1
    return counts


def reuse_chapter(r: SurveyReport, st, fonts: Fonts) -> list:
    if r.reuse is None:
        return []
    c: ReuseCriteria = r.reuse
    small = st.cell.clone("reuse", fontSize=8, leading=10.5)
    out = [PageBreak(), p(TITLE, st.h2), p(f"{c.label}：{c.caveat}", st.body),
           p("判定基準（調査票の定めを印刷したもの）", st.h3),
           p("上の区分から順に当てはめ、条件のどれか一つに当たれば、その区分とします。", st.small)]
    rows = [[p(h, st.cell_head) for h in ("区分", "条件（どれか一つ）", "判定に使う記録")]]
    for criterion in c.classes:
        for n, cond in enumerate(criterion.conditions):
            rows.append([p(criterion.label if n == 0 else "", small), p(cond.reason, small), p(cond.test or "―", small)])
    out += [grid(rows, [30 * mm, 80 * mm, FRAME_WIDTH - 110 * mm], st, head_rows=1), Spacer(1, 1.5 * mm),
            p(f"建築年：{c.seismic_basis}", st.small)]
    if c.sources:
        out.append(p("根拠：" + "／".join(c.sources), st.small))
    counts = reuse_counts(r)
    out += [p("区分ごとの件数", st.h3),
            grid([[p("区分", st.cell_head), p("件数", st.cell_head)]]
                 + [[p(label, st.cell), p(str(n), st.right)] for label, n in counts.items()]
                 + [[p("合計", st.cell), p(str(sum(counts.values())), st.right)]],
                 [50 * mm, 20 * mm], st, head_rows=1)]
    judged = [row for row in r.rows if row.reuse is not None]
    out.append(KeepTogether([
        p("利活用判定の分布図", st.h3),
        p("点は調査物件の位置（緯度・経度から作図、背景地図なし）、色は利活用判定の区分、数字は整理番号です。", st.small),
        district_map(judged, fonts, width=FRAME_WIDTH, height=95 * mm,
                     colour_of=lambda row: CLASS_COLOURS.get(row.reuse.label, CLASS_COLOURS["判定不能"])),
        Spacer(1, 2 * mm), legend(fonts, FRAME_WIDTH, CLASS_COLOURS, step=110)]))
    cell = st.cell.clone("reuse_list", fontSize=8, leading=11)
    listed = [[p(h, st.cell_head) for h in ("区分", "整理番号", "所在地", "現況", "理由")]]
    for label in counts:
        for row in (x for x in r.rows if x.reuse is not None and x.reuse.label == label):
            listed.append([p(label, cell), p(row.ref, cell), p(row.property.address, cell), p(row.likelihood, cell),
                           p("／".join(row.reuse.reasons), cell)])
    if len(listed) > 1:
        out += [p("区分ごとの物件", st.h3),
                grid(listed, [32 * mm, 14 * mm, 45 * mm, 16 * mm, FRAME_WIDTH - 107 * mm], st, head_rows=1)]
    return out


_TRAILING_NOTE = re.compile(r"（[^（）]*）$")


def reuse_line(row) -> str:
    """The house sheet's line: the class and its reasons, a rule's reason without its closing explanation in
    brackets (the chapter's table and the CSV give it in full), so the sheet stays one page. What made a house
    判定不能 is printed whole: 判定不能（構造不明） is not 判定不能."""
    undetermined = row.reuse.label == "判定不能"
    reasons = [r if undetermined else _TRAILING_NOTE.sub("", r) for r in row.reuse.reasons]
    return f"{row.reuse.label}（" + "／".join(reasons) + "）"
