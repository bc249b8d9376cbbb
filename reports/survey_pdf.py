"""空き家調査報告書: the municipal survey report for one contract.

Cover; 調査の方法 and 判定基準表; 判定フロー (survey_flow); 集計 (現況 × ランク, 空き家率, findings); 位置図・分布図 per 大字;
the comparison with the municipality's earlier survey; the list; one sheet per house; and the blank
調査票 as an appendix. `survey_report_pdfs_by_district` gives the same report split by 大字 for e-mail.
"""

import tempfile
from pathlib import Path

import msgspec
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from reports.charts import bar_chart
from reports.dates import japanese_date, japanese_datetime, short_datetime
from reports.fonts import Fonts
from reports.model import URGENCIES, SurveyReport, SurveyRow
from reports.pdf_base import FRAME_WIDTH, build_pdf, one_page, field_table, grid, p, photo_grid, prepare, styles, table
from reports.survey_candidates import candidates_chapter
from reports.survey_flow import flow_page
from reports.survey_compare import OUTCOMES, compare_surveys
from reports.survey_map import district_map, legend, result_of
from reports.survey_photos import sheet_photos
from reports.survey_priority import PRIORITY_RULE, by_priority, priority
from reports.survey_owner_intentions import owner_survey_chapter
from reports.survey_reuse import reuse_chapter, reuse_line
from reports.survey_summary import LIKELIHOODS, SurveySummary, statutory_class, statutory_classes, summarise

TITLE = "空き家調査報告書"
SHEET_PHOTO_MM = 38  # photo height on a house sheet: three photos in a row and every answer fit one A4 page
SHEET_PHOTOS_PER_ROW = 3
SHEET_LABEL_MM = 42  # the longest label (現況・空き家の可能性) on one line
DEFAULT_PHOTO_CACHE = Path(tempfile.gettempdir()) / "akiya-survey-photos"
ROAD_ONLY = ("調査は公道から目視できる範囲に限って行い、敷地や建物には立ち入っていません。"
             "見えない部分（建物の裏側、屋内、塀の内側など）は「外から確認できない」と記録し、点数には含めず、"
             "不良度は幅（下限〜上限）で示しています。所見は外観から「おそれ」があることを示すもので、"
             "管理不全空家等・特定空家等の認定ではありません。認定は市町村が現地を確認して行います。")
# What the usual reference is and how this survey stands to it. Only its title and date were checked
# (the guide's own table was not read): the sentence claims nothing about its content beyond that.
GUIDE_RELATION = ("外観調査でよく参照される国土交通省「外観目視による住宅の不良度判定の手引き（案）」（平成23年12月）"
                  "は、住宅の不良度を外観の目視で判定するための手引きです。本調査はその手引きの判定表ではなく、"
                  "住宅地区改良法施行規則 別表第1の評定項目と評点をそのまま用い、道路から確認できない評定項目は"
                  "点数に含めず不良度を幅（下限〜上限）で示しています。そのため、手引き（案）の方法で判定した結果とは"
                  "一致しないことがあります。")
URGENCY_MEANING = [("至急", "倒壊・落下・崩壊など、周囲に危険が及ぶおそれ。早めの現地確認をおすすめします。"),
                   ("要確認", "損傷や衛生・生活環境への影響のおそれ。現地確認をおすすめします。"),
                   ("経過観察", "景観や軽い損傷。次回の調査で変化を確認します。")]


def survey_report_pdf(report: SurveyReport, fonts: Fonts, *, substitute_missing: bool = False,
                      photo_cache: Path | None = None) -> bytes:
    """The contract's survey report as PDF bytes. MissingGlyphs as for owner_monthly_pdf.
    Photos go in at sheet size (survey_photos), made once in `photo_cache` (default: a folder
    in the system's temporary directory, kept between builds)."""
    r, notes = prepare(report, fonts, substitute_missing)
    r = msgspec.structs.replace(r, method_notes=[*r.method_notes, *notes])  # said in 特記事項 too
    r = sheet_photos(r, photo_cache or DEFAULT_PHOTO_CACHE)
    st = styles(fonts, base=10, formal=True)
    st.h3 = st.text.clone("h3", fontSize=10.5, spaceBefore=6, spaceAfter=3, keepWithNext=1)
    summary = summarise(r)
    story = [*_cover(r, st), PageBreak(), *_method(r, st), *flow_page(r, st, fonts), PageBreak(),
             *_summary(r, summary, st, fonts)]
    story += candidates_chapter(r, st)
    story += _maps(r, st, fonts)
    story += _comparison(r, st)
    story += reuse_chapter(r, st, fonts)
    story += owner_survey_chapter(r, st)
    ordered = by_priority(r.rows, r.ranks)
    story += [PageBreak(), p("調査物件一覧（優先度の順）", st.h2), _list(r, ordered, st)]
    for row in ordered:
        story += [PageBreak(), *one_page(_sheet(r, row, st))]
    if r.blank_form:
        story += [PageBreak(), *_blank_form(r, st)]
    c = r.contract
    return build_pdf(story, title=f"{c.title} {TITLE}", subject=c.municipality, author=c.contractor,
                     issued_on=r.issued_on, footer=f"{c.contractor}　{c.title}　{TITLE}", fonts=fonts, notes=notes)


def districts_of(report: SurveyReport) -> list[str]:
    return list(dict.fromkeys(row.property.district or "（未設定）" for row in report.rows))


def survey_report_pdfs_by_district(report: SurveyReport, fonts: Fonts, *, substitute_missing: bool = False,
                                   photo_cache: Path | None = None) -> dict[str, bytes]:
    """大字 -> the report of that 大字's houses only (small enough to e-mail); same pages otherwise."""
    out = {}
    for district in districts_of(report):
        rows = [row for row in report.rows if (row.property.district or "（未設定）") == district]
        part = msgspec.structs.replace(report, rows=rows, candidates=None,  # the candidates are the whole contract's,
                                       owner_survey=None)  # and so are the owners' answers
        out[district] = survey_report_pdf(part, fonts, substitute_missing=substitute_missing, photo_cache=photo_cache)
    return out


def _cover(r: SurveyReport, st) -> list:
    c = r.contract
    return [
        Spacer(1, 55 * mm), p(c.title, st.subtitle), p(TITLE, st.title), Spacer(1, 25 * mm),
        field_table([
            ("発注者", c.municipality + (f"（団体コード {c.municipality_code}）" if c.municipality_code else "")),
            ("契約番号", c.number or "（未登録）"),
            ("調査期間", f"{japanese_date(c.period_start)} ～ {japanese_date(c.period_end)}"),
            ("調査件数", f"{len(r.rows)}件" + (f"（ほかに未調査・確認中 {r.not_included}件）" if r.not_included else "")),
            ("不良度（別表第1）", statutory_count(r)),
            ("受託者", c.contractor + (f"　{c.contractor_address}" if c.contractor_address else "")),
            ("提出日", japanese_date(r.issued_on)),
        ], st, label_width=30 * mm),
    ]


def statutory_count(r: SurveyReport) -> str:
    """How many houses have a statutory score and why the others have none (cover and summary)."""
    scored = sum(1 for row in r.rows if row.statutory is not None and row.statutory.min is not None)
    reasons: dict[str, int] = {}
    for row in r.rows:
        if row.statutory is None:
            reason = row.form_note.split("。")[0] if row.form_note else "調査票に評定なし"
        elif row.statutory.min is None:
            reason = row.statutory.verdict
        else:
            continue
        reasons[reason] = reasons.get(reason, 0) + 1
    rest = "、".join(f"{k} {v}件" for k, v in reasons.items())
    return f"算定あり {scored}件・算定なし {len(r.rows) - scored}件" + (f"（{rest}）" if rest else "")


def _method(r: SurveyReport, st) -> list:
    times = [row.surveyed_at for row in r.rows]
    span = f"{japanese_date(min(times).date())} ～ {japanese_date(max(times).date())}" if times else "―"
    people = "、".join(sorted({row.surveyed_by for row in r.rows})) or "―"
    out = [
        p("調査の方法", st.h2),
        field_table([("調査票", f"{r.rubric_title}（{r.rubric_id} 第{r.rubric_version}版）"),
                     ("調査を行った日", span), ("調査員", people)], st),
        p("「道路からのみ」の意味", st.h3), p(ROAD_ONLY, st.body),
        p("国土交通省の手引き（案）との関係", st.h3), p(GUIDE_RELATION, st.body),
        p("優先度", st.h3), p(PRIORITY_RULE, st.body),
        *([p("特記事項", st.h3)] + [p(f"● {n}", st.body) for n in r.method_notes] if r.method_notes else []),
    ]
    return out + _criteria(r, st)


def _criteria(r: SurveyReport, st) -> list:
    small = st.cell.clone("crit", fontSize=8, leading=10.5)
    out = [CondPageBreak(60 * mm), p("判定基準表", st.h2)]
    if r.criteria:
        out.append(p(f"不良度：{r.statutory_source}。評定項目ごとの評点を評定区分ごとに合計し、最高評点を超えるときは"
                     "最高評点とし、各区分を合算します。100以上を不良住宅とします（第1条第2項）。"
                     "鉄筋コンクリート造・ブロック造の住宅は別表第1の対象外（第1条第1項第1号。別表第2・第3は本調査では"
                     "算定していません）、構造が分からない住宅は「判定不能（構造不明）」とします。外から確認できない評定項目が"
                     "あるときは、その項目が取りうる最大の評点を加えた値を上限とし、下限が100以上のときだけ不良住宅、"
                     "下限と上限が100をまたぐときは「判定不能」とします。2(四)イ（屋根ぶき材料の一部に剥落又はずれがあり、"
                     "雨もりのあるもの）は、雨もりが見えないときは下限0・上限15、雨染みや室内への浸水跡が見えるときだけ"
                     "15とします。", st.small))
        rows = [[p(h, st.cell_head) for h in ("評定区分（最高評点）", "評定項目", "評定内容", "評点")]]
        last = None
        for c in r.criteria:
            head = f"{c.category}（{c.cap}）" if c.category != last else ""
            rows.append([p(head, small), p(c.item, small), p(c.content, small), p(str(c.points), small)])
            last = c.category
        out.append(grid(rows, [40 * mm, 50 * mm, FRAME_WIDTH - 102 * mm, 12 * mm], st, head_rows=1))
    else:
        out.append(p("この調査票には法定の評定表がありません（調査票の点数とランクによります）。", st.small))
    if r.ranks:
        out += [Spacer(1, 2 * mm), p("ランク：自治体の基準によります。不良度とは別の点数です。"
                                     "一覧表と調査票に出るランクはすべてこの表にあります。", st.small),
                grid([[p("ランク", st.cell_head), p("区分", st.cell_head), p("点数", st.cell_head)]]
                     + [[p(d.rank, st.cell), p(d.label, st.cell), p(d.scheme, st.cell)] for d in r.ranks],
                     [24 * mm, FRAME_WIDTH - 84 * mm, 60 * mm], st, head_rows=1)]
    out += [Spacer(1, 2 * mm), p("所見の緊急度", st.small),
            grid([[p(u, st.cell), p(text, small)] for u, text in URGENCY_MEANING], [20 * mm, FRAME_WIDTH - 20 * mm], st)]
    return out


def _summary(r: SurveyReport, s: SurveySummary, st, fonts: Fonts) -> list:
    half = FRAME_WIDTH / 2
    rank_label = {d.rank: d.label for d in r.ranks}
    states = [k for k in LIKELIHOODS if s.by_likelihood.get(k)] or ["高", "中", "低"]
    lk = grid([[p("現況・空き家の可能性", st.cell_head), p("件数", st.cell_head)]]
              + [[p(k, st.cell), p(str(s.by_likelihood[k]), st.right)] for k in states]
              + [[p("合計", st.cell), p(str(s.total), st.right)]], [45 * mm, 25 * mm], st, head_rows=1)
    verdicts = dict.fromkeys(statutory_classes(r.rows), 0)
    for row in r.rows:
        verdicts[statutory_class(row)] += 1
    vd = grid([[p("不良度（別表第1）", st.cell_head), p("件数", st.cell_head)]]
              + [[p(k, st.cell), p(str(v), st.right)] for k, v in verdicts.items()], [55 * mm, 20 * mm], st,
              head_rows=1)
    ranks = list(s.by_rank)
    cross = [[p("現況 ＼ ランク", st.cell_head), *[p(x, st.cell_head) for x in ranks], p("計", st.cell_head)]]
    cross += [[p(k, st.cell), *[p(str(s.cross[(k, x)]), st.right) for x in ranks],
               p(str(s.by_likelihood[k]), st.right)] for k in states]
    width = (FRAME_WIDTH - 40 * mm) / (len(ranks) + 1)
    out = [p("集計", st.h2), p(f"不良度（別表第1）：{statutory_count(r)}", st.body),
           table([[lk, vd]], [half, half], st, [("VALIGN", (0, 0), (-1, -1), "TOP")]),
           p("現況 × ランク（件数）", st.h3),
           grid(cross, [40 * mm] + [width] * (len(ranks) + 1), st, head_rows=1),
           p("、".join(f"{x}：{rank_label.get(x, '')}" for x in ranks), st.small)]
    houses = r.contract.houses_in_area
    if houses:
        vacant = s.by_likelihood.get("高", 0) + s.by_likelihood.get("中", 0)
        interim = (f"（中間値：契約対象のうち {r.not_included} 件が未調査または確認中で、含まれていません）"
                   if r.not_included else "")
        out += [p("空き家率" + ("（中間値）" if r.not_included else ""), st.h3),
                p(f"空き家の可能性が高・中の件数 {vacant} 件 ÷ 調査区域の住宅数 {houses:,} 戸（契約による）"
                  f" ＝ {vacant / houses * 100:.2f}%{interim}", st.body)]
    categories = list(dict.fromkeys(c for c, _ in s.flags))
    flag_rows = [[p("区分", st.cell_head), *[p(u, st.cell_head) for u in URGENCIES]]]
    flag_rows += [[p(c, st.cell), *[p(str(s.flags[(c, u)]), st.right) for u in URGENCIES]] for c in categories]
    out += [p("所見（ガイドラインの4区分 × 緊急度、件数）", st.h3),
            grid(flag_rows, [60 * mm, 30 * mm, 30 * mm, 30 * mm], st, head_rows=1),
            p("1件の物件に同じ区分・緊急度の所見が複数あっても1件と数えます。認定ではありません。", st.small),
            bar_chart("所見の件数", categories, [[s.flags[(c, u)] for c in categories] for u in URGENCIES], fonts,
                      width=FRAME_WIDTH, height=50 * mm, legend=list(URGENCIES))]
    d_head = ["大字・町丁目", "件数", *[f"可能性{x}" for x in ("高", "中", "低")], *[f"ランク{x}" for x in ranks]]
    d_rows = [[p(h, st.cell_head) for h in d_head]] + [
        [p(d.district, st.cell), p(str(d.total), st.right),
         *[p(str(d.by_likelihood[x]), st.right) for x in ("高", "中", "低")],
         *[p(str(d.by_rank[x]), st.right) for x in ranks]] for d in s.by_district]
    rest = (FRAME_WIDTH - 40 * mm) / (len(d_head) - 1)
    return out + [CondPageBreak(40 * mm), p("大字・町丁目別の件数", st.h3),
                  grid(d_rows, [40 * mm] + [rest] * (len(d_head) - 1), st, head_rows=1)]


def _maps(r: SurveyReport, st, fonts: Fonts) -> list:
    out = []
    for district in districts_of(r):
        rows = [row for row in r.rows if (row.property.district or "（未設定）") == district]
        out += [PageBreak(), p(f"位置図・分布図（{district}）", st.h2),
                p(f"{len(rows)}件。点は調査物件の位置（緯度・経度から作図、背景地図なし）、色は最も急ぐ所見、"
                  "数字は整理番号です。", st.small),
                district_map(rows, fonts, width=FRAME_WIDTH, height=150 * mm), Spacer(1, 2 * mm),
                legend(fonts, FRAME_WIDTH), Spacer(1, 2 * mm),
                grid([[p(h, st.cell_head) for h in ("整理番号", "所在地", "現況", "不良度", "所見")]]
                     + [[p(row.ref, st.cell), p(row.property.address, st.cell), p(row.likelihood, st.cell),
                         p(statutory_short(row), st.cell), p(result_of(row), st.cell)] for row in rows],
                     [18 * mm, 70 * mm, 22 * mm, 40 * mm, FRAME_WIDTH - 150 * mm], st, head_rows=1)]
    return out


def _comparison(r: SurveyReport, st) -> list:
    lines, counts, outside = compare_surveys(r)
    if r.comparison is None:
        return []
    c = r.comparison
    summary = grid([[p(o, st.cell_head) for o in OUTCOMES] + [p("前回のみ・今回対象外", st.cell_head)],
                    [p(str(counts[o]), st.right) for o in OUTCOMES] + [p(str(outside), st.right)]],
                   [FRAME_WIDTH / 5] * 5, st, head_rows=1)
    cell = st.cell.clone("cmp", fontSize=8, leading=11)
    rows = [[p(h, st.cell_head) for h in ("整理番号", "所在地", "前回", "今回", "比較")]]
    rows += [[p(x.ref or "―", cell), p(x.address, cell), p(x.earlier, cell), p(x.now, cell), p(x.outcome, cell)]
             for x in lines]
    return [PageBreak(), p("前回調査との比較", st.h2),
            p(f"前回：{c.earlier_title}（{japanese_date(c.earlier_period_end)} まで）。継続＝前回も今回も空き家の可能性"
              "高・中、解消＝今回は居住中・可能性低、除却＝更地・建替中または建物なし、新規＝前回の対象外。", st.small),
            summary, Spacer(1, 3 * mm),
            grid(rows, [18 * mm, 72 * mm, 30 * mm, 35 * mm, FRAME_WIDTH - 155 * mm], st, head_rows=1)]


def statutory_short(row: SurveyRow) -> str:
    st = row.statutory
    if st is None:
        return "算定なし（" + (row.form_note.split("。")[0] or "調査票に評定なし") + "）"
    if st.min is None:
        return st.verdict
    span = f"{st.min}" if st.min == st.max else f"{st.min}〜{st.max}"
    return f"{span}（{st.verdict}）"


def flag_summary(row: SurveyRow) -> str:
    """保安上危険（至急）、景観（経過観察）: one entry per category and urgency, most urgent first."""
    ordered = sorted(row.flags, key=lambda f: URGENCIES.index(f.urgency))
    return "、".join(dict.fromkeys(f"{f.category}（{f.urgency}）" for f in ordered))


def _list(r: SurveyReport, rows_in_order: list[SurveyRow], st):
    head = ["優先度", "整理番号", "所在地", "現況", "不良度（別表第1）", "ランク", "所見", "調査日"]
    cell, head_style = st.cell.clone("list", fontSize=8, leading=11), st.cell_head.clone("lh", fontSize=8)
    rows = [[p(h, head_style) for h in head]] + [
        [p(priority(row, r.ranks).label, cell), p(row.ref, cell), p(row.property.address, cell),
         p(row.likelihood, cell), p(statutory_short(row), cell),
         p(row.rank + ("（台帳と相違）" if row.ledger_differences else ""), cell), p(flag_summary(row) or "―", cell),
         p(short_datetime(row.surveyed_at)[:10], cell)]
        for row in rows_in_order]
    # The date column fits 2026/11/10 on one line; rows of a few lines never split across pages.
    return grid(rows, [17 * mm, 12 * mm, 35 * mm, 12 * mm, 33 * mm, 17 * mm, 32 * mm, FRAME_WIDTH - 158 * mm], st,
                head_rows=1, split_in_row=False)


def _sheet(r: SurveyReport, row: SurveyRow, st) -> list:
    pr = row.property
    small = st.cell.clone("sheet", fontSize=7, leading=8.6)
    building = "・".join(x for x in (pr.building_use, pr.structure, f"{pr.storeys}階建" if pr.storeys else "",
                                    f"建築 {pr.built_on}" if pr.built_on and r.reuse else "") if x)
    coords = f"北緯 {pr.lat:.6f}　東経 {pr.lon:.6f}" if pr.lat is not None and pr.lon is not None else "未取得"
    ids = "　".join(f"{k} {v}" for k, v in (("台帳番号", pr.ledger_no), ("地番", pr.chiban), ("家屋番号", pr.kaoku_no)) if v)
    out = [
        p(f"No.{row.ref}　{pr.address}", st.h2),
        field_table([("大字・自治体の番号", f"{pr.district or '―'}　{ids or '―'}"),
                     ("位置・不動産ID", f"{coords}　不動産ID {pr.real_estate_id or '―'}"),
                     ("建物（台帳）", building or "―"),
                     ("調査日時", f"{japanese_datetime(row.surveyed_at)}　調査員 {row.surveyed_by}"
                                  f"（調査票 第{row.rubric_version or r.rubric_version}版）")],
                    st, label_width=SHEET_LABEL_MM * mm),
        Spacer(1, 2 * mm),
    ]
    results = [("優先度", priority(row, r.ranks).label), ("現況・空き家の可能性", row.likelihood)]
    if row.statutory is not None:
        results.append(("不良度（別表第1）", statutory_short(row)))
    else:
        results.append(("不良度（別表第1）", row.form_note or "調査票に評定なし"))
    results.append((row.score_label, f"{row.total_points:g}点　ランク {row.rank}（{row.rank_label}）" if row.rank_label
                    else f"{row.total_points:g}点"))
    if row.ledger_differences:
        results.append(("台帳と相違", "／".join(row.ledger_differences)))
    if row.reuse is not None:
        results.append(("活用可能性（目安）", p(reuse_line(row), st.cell.clone("reuse_sheet", fontSize=8, leading=9.6))))
    out.append(field_table(results, st, label_width=SHEET_LABEL_MM * mm))
    if row.statutory is not None and row.statutory.categories:
        # One column per 評定区分: 下限〜上限（最高評点）.
        cats = row.statutory.categories
        pts = [[p("評定区分", small), *[p(c.category, small) for c in cats]],
               [p("下限〜上限（最高評点）", small), *[p(f"{c.min}〜{c.max}（{c.cap}）", small) for c in cats]]]
        first = 34 * mm
        out += [Spacer(1, 1.5 * mm), grid(pts, [first] + [(FRAME_WIDTH - first) / len(cats)] * len(cats), st,
                                          extra=_TIGHT)]
        if row.statutory.unseen:
            out.append(p("外から確認できない評定項目：" + "、".join(row.statutory.unseen), small))
    elif row.points:
        out.append(p("点数の内訳：" + "、".join(f"{c.category} {c.points:g}" for c in row.points), small))
    flags = [[p(h, st.cell_head) for h in ("区分", "緊急度", "所見")]]
    flags += [[p(f.category, small), p(f.urgency, small), p(f.label, small)]
              for f in sorted(row.flags, key=lambda f: URGENCIES.index(f.urgency))]
    out += [Spacer(1, 1.5 * mm), p("所見（外観から。認定ではありません）", st.text),
            grid(flags, [28 * mm, 18 * mm, FRAME_WIDTH - 46 * mm], st, head_rows=1, extra=_TIGHT) if row.flags
            else p("該当する所見はありません。", st.cell)]
    answers = [(o.label, o.value) for o in row.indicators]
    if answers:
        # Three label | answer pairs a line, read down each pair of columns in form order.
        per = 3 if len(answers) > 16 else 2
        tiny = small.clone("answers", fontSize=6.3, leading=7.4)
        height = -(-len(answers) // per)
        columns = [answers[k * height:(k + 1) * height] for k in range(per)]
        cells = [[p(x, tiny) for k in range(per)
                  for x in (columns[k][n] if n < len(columns[k]) else ("", ""))] for n in range(height)]
        col = FRAME_WIDTH / per
        out += [Spacer(1, 1.5 * mm), p("調査項目の回答", st.text),
                grid(cells, [col * 0.56, col * 0.44] * per, st, extra=_TIGHT)]
    out += [Spacer(1, 1.5 * mm), field_table([("コメント", row.comment or "―")], st, label_width=34 * mm)]
    if row.photos:
        n = SHEET_PHOTOS_PER_ROW
        out += [Spacer(1, 2 * mm), KeepTogether(photo_grid(row.photos[:n], n, st, image_height=SHEET_PHOTO_MM * mm))]
        if len(row.photos) > n:
            out.append(photo_grid(row.photos[n:], n, st, image_height=SHEET_PHOTO_MM * mm))
    return out


_TIGHT = [("TOPPADDING", (0, 0), (-1, -1), 0.6), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6)]


def _blank_form(r: SurveyReport, st) -> list:
    small = st.cell.clone("form", fontSize=8, leading=10.5)
    out = [p("付録　調査票（様式）", st.h2),
           p(f"{r.rubric_title}（第{r.rubric_version}版）。各項目の選択肢から1つに○を付けます。", st.small)]
    section = None
    rows: list = []
    for item in r.blank_form:
        if item.section != section:
            if rows:
                out.append(grid(rows, [60 * mm, FRAME_WIDTH - 60 * mm], st))
                rows = []
            out.append(p(item.section, st.h3))
            section = item.section
        choices = "　".join(f"□ {c}" for c in item.choices) if item.choices else "（記入）" + "＿" * 20
        note = [p(item.note, st.small)] if item.note else []
        rows.append([p(item.label, small), [p(choices, small), *note]])
    if rows:
        out.append(grid(rows, [60 * mm, FRAME_WIDTH - 60 * mm], st))
    return out
