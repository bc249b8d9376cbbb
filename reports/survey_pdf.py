"""空き家調査報告書: the municipal survey report for one contract.

Cover, summary with charts, list of every property, one sheet per property, method.
"""

import msgspec
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from reports.charts import bar_chart
from reports.dates import japanese_date, japanese_datetime, short_datetime
from reports.fonts import Fonts
from reports.model import SurveyReport, SurveyRow
from reports.pdf_base import FRAME_WIDTH, build_pdf, field_table, grid, p, photo_grid, prepare, styles, table
from reports.survey_summary import FLAG_LEVELS, LIKELIHOODS, SurveySummary, summarise

TITLE = "空き家調査報告書"
ROAD_ONLY = ("調査は公道から目視できる範囲に限って行い、敷地や建物には立ち入っていません。"
             "見えない部分（建物の裏側、屋内、塀の内側など）は判定に含まれていません。"
             "管理不全空家等・特定空家等の欄は、外観から該当する可能性がある所見を示すもので、"
             "法に基づく認定ではありません。認定は市町村が行います。")


def survey_report_pdf(report: SurveyReport, fonts: Fonts, *, substitute_missing: bool = False) -> bytes:
    """The contract's survey report as PDF bytes. MissingGlyphs as for owner_monthly_pdf."""
    r, notes = prepare(report, fonts, substitute_missing)
    r = msgspec.structs.replace(r, method_notes=[*r.method_notes, *notes])  # said in 特記事項 too
    st = styles(fonts, base=10, formal=True)
    summary = summarise(r)
    story = [*_cover(r, st), PageBreak(), *_summary(r, summary, st, fonts), PageBreak(),
             p("調査物件一覧", st.h2), _list(r, st)]
    for row in r.rows:
        story += [PageBreak(), *_sheet(r, row, st)]
    story += [PageBreak(), *_method(r, st)]
    c = r.contract
    return build_pdf(story, title=f"{c.title} {TITLE}", subject=c.municipality, author=c.contractor,
                     issued_on=r.issued_on, footer=f"{c.contractor}　{c.title}　{TITLE}", fonts=fonts, notes=notes)


def _cover(r: SurveyReport, st) -> list:
    c = r.contract
    return [
        Spacer(1, 55 * mm), p(c.title, st.subtitle), p(TITLE, st.title), Spacer(1, 25 * mm),
        field_table([
            ("発注者", c.municipality + (f"（団体コード {c.municipality_code}）" if c.municipality_code else "")),
            ("契約番号", c.number),
            ("調査期間", f"{japanese_date(c.period_start)} ～ {japanese_date(c.period_end)}"),
            ("調査件数", f"{len(r.rows)}件"),
            ("受託者", c.contractor + (f"　{c.contractor_address}" if c.contractor_address else "")),
            ("提出日", japanese_date(r.issued_on)),
        ], st, label_width=30 * mm),
    ]


def _summary(r: SurveyReport, s: SurveySummary, st, fonts: Fonts) -> list:
    half = FRAME_WIDTH / 2
    rank_label = {d.rank: d.label for d in r.ranks}
    lk = grid([[p("空き家の可能性", st.cell_head), p("件数", st.cell_head)]]
              + [[p(k, st.cell), p(str(v), st.right)] for k, v in s.by_likelihood.items()]
              + [[p("合計", st.cell), p(str(s.total), st.right)]], [45 * mm, 25 * mm], st, head_rows=1)
    rk = grid([[p("不良度ランク", st.cell_head), p("件数", st.cell_head)]]
              + [[p(f"{k}　{rank_label.get(k, '')}", st.cell), p(str(v), st.right)] for k, v in s.by_rank.items()],
              [45 * mm, 25 * mm], st, head_rows=1)
    charts = table([[
        bar_chart("空き家の可能性", list(s.by_likelihood), [list(s.by_likelihood.values())], fonts,
                  width=half - 10, height=55 * mm),
        bar_chart("不良度ランク", list(s.by_rank), [list(s.by_rank.values())], fonts,
                  width=half - 10, height=55 * mm)]], [half, half], st)
    categories = list(dict.fromkeys(c for c, _ in s.flags))
    flag_rows = [[p("区分", st.cell_head), *[p(f"{lv}の可能性", st.cell_head) for lv in FLAG_LEVELS]]]
    flag_rows += [[p(c, st.cell), *[p(str(s.flags[(c, lv)]), st.right) for lv in FLAG_LEVELS]] for c in categories]
    flags_chart = bar_chart("管理不全空家等・特定空家等の所見（件数）", categories,
                            [[s.flags[(c, lv)] for c in categories] for lv in FLAG_LEVELS], fonts,
                            width=FRAME_WIDTH, height=55 * mm, legend=list(FLAG_LEVELS))
    ranks = list(s.by_rank)
    d_head = ["大字・町丁目", "件数", *[f"可能性{x}" for x in LIKELIHOODS], *[f"ランク{x}" for x in ranks]]
    d_rows = [[p(h, st.cell_head) for h in d_head]] + [
        [p(d.district, st.cell), p(str(d.total), st.right),
         *[p(str(d.by_likelihood[x]), st.right) for x in LIKELIHOODS],
         *[p(str(d.by_rank[x]), st.right) for x in ranks]] for d in s.by_district]
    rest = (FRAME_WIDTH - 40 * mm) / (len(d_head) - 1)
    return [
        p("集計", st.h2),
        table([[lk, rk]], [half, half], st, [("VALIGN", (0, 0), (-1, -1), "TOP")]),
        Spacer(1, 3 * mm), charts,
        p("管理不全空家等・特定空家等に該当する可能性がある所見", st.h2),
        grid(flag_rows, [60 * mm, 40 * mm, 40 * mm], st, head_rows=1),
        p("1件の物件に同じ区分の所見が複数あっても1件と数えます。認定ではありません。", st.small),
        flags_chart,
        p("大字・町丁目別の件数", st.h2),
        grid(d_rows, [40 * mm] + [rest] * (len(d_head) - 1), st, head_rows=1),
    ]


def flag_summary(row: SurveyRow) -> str:
    """保安上危険（特定）、景観（管理不全）: one entry per category and level, in the row's order."""
    return "、".join(dict.fromkeys(f"{f.category}（{f.level}）" for f in row.flags))


def _list(r: SurveyReport, st):
    head = ["整理番号", "所在地", "可能性", "ランク", "合計点", "管理不全・特定の所見", "調査日"]
    cell, head_style = st.cell.clone("list", fontSize=8.5, leading=12), st.cell_head.clone("lh", fontSize=8)
    num = cell.clone("num", alignment=2)
    rows = [[p(h, head_style) for h in head]] + [
        [p(row.ref, cell), p(row.property.address, cell), p(row.likelihood, cell), p(row.rank, cell),
         p(f"{row.total_points:g}", num), p(flag_summary(row) or "―", cell),
         p(short_datetime(row.surveyed_at)[:10], cell)] for row in r.rows]
    return grid(rows, [16 * mm, 50 * mm, 13 * mm, 13 * mm, 13 * mm, 48 * mm, FRAME_WIDTH - 153 * mm], st,
                head_rows=1)


def _sheet(r: SurveyReport, row: SurveyRow, st) -> list:
    pr = row.property
    building = "・".join(x for x in (pr.building_use, pr.structure, f"{pr.storeys}階建" if pr.storeys else "") if x)
    coords = f"北緯 {pr.lat:.6f}　東経 {pr.lon:.6f}" if pr.lat is not None and pr.lon is not None else "未取得"
    out = [
        p(f"No.{row.ref}　{pr.address}", st.h2),
        field_table([("大字・町丁目", pr.district or "―"), ("位置（緯度・経度）", coords),
                     ("不動産ID", pr.real_estate_id or "―"), ("建物", building or "―"),
                     ("調査日時", japanese_datetime(row.surveyed_at)), ("調査員", row.surveyed_by)], st,
                    label_width=38 * mm),
        Spacer(1, 3 * mm),
        field_table([("空き家の可能性", row.likelihood),
                     ("不良度ランク", f"{row.rank}（{row.rank_label}）" if row.rank_label else row.rank),
                     ("不良度の合計点", f"{row.total_points:g}点")], st, label_width=38 * mm),
    ]
    if row.points:
        pts = [[p("不良度の区分", st.cell_head), p("点数", st.cell_head), p("上限", st.cell_head)]]
        pts += [[p(c.category, st.cell), p(f"{c.points:g}", st.right),
                 p("―" if c.max_points is None else f"{c.max_points:g}", st.right)] for c in row.points]
        out += [Spacer(1, 3 * mm), grid(pts, [FRAME_WIDTH - 50 * mm, 25 * mm, 25 * mm], st, head_rows=1)]
    if row.indicators:
        out += [Spacer(1, 3 * mm), field_table([(o.label, o.value) for o in row.indicators], st, label_width=38 * mm)]
    flags = [[p("区分", st.cell_head), p("程度", st.cell_head), p("所見", st.cell_head)]]
    flags += [[p(f.category, st.cell), p(f"{f.level}の可能性", st.cell), p(f.label, st.cell)] for f in row.flags]
    out += [Spacer(1, 3 * mm), p("管理不全空家等・特定空家等に該当する可能性がある所見", st.text),
            grid(flags, [35 * mm, 35 * mm, FRAME_WIDTH - 70 * mm], st, head_rows=1) if row.flags
            else p("該当する所見はありません。", st.cell)]
    out += [Spacer(1, 2 * mm), field_table([("コメント", row.comment or "―")], st, label_width=38 * mm)]
    if row.photos:
        out += [Spacer(1, 3 * mm), photo_grid(row.photos, 2, st, image_height=58 * mm)]
    return out


def _method(r: SurveyReport, st) -> list:
    times = [row.surveyed_at for row in r.rows]
    span = f"{japanese_date(min(times).date())} ～ {japanese_date(max(times).date())}" if times else "―"
    people = "、".join(sorted({row.surveyed_by for row in r.rows})) or "―"
    return [
        p("調査の方法", st.h2),
        field_table([("調査票", f"{r.rubric_title}（{r.rubric_id} 第{r.rubric_version}版）"),
                     ("調査を行った日", span), ("調査員", people),
                     ("ランクの区分", "、".join(f"{d.rank}：{d.label}" for d in r.ranks) or "―")], st),
        p("「道路からのみ」の意味", st.h2), p(ROAD_ONLY, st.body),
        *([p("特記事項", st.h2)] + [p(f"● {n}", st.body) for n in r.method_notes] if r.method_notes else []),
    ]
