"""空き家カルテ: one A4 page per surveyed house, for the town's 空き家バンク and its files.

Photo, address and ledger data, the survey's summary (空き家の可能性, 優先度, the statutory 不良度 range),
the 利活用判定 with its reasons, the findings and the carrier's comment, each as the survey report states
them (the same records, the same wording). The 所有者意向 box says what is known of the owner's
intention: until the owners' intention survey has letters and answers in the system, that it has not
been done. Nothing is filled in that was not recorded. A long page is shrunk to fit, never split.
"""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Spacer

from reports.dates import era_date, japanese_date, japanese_datetime
from reports.fonts import Fonts
from reports.model import URGENCIES, SurveyReport, SurveyRow
from reports.pdf_base import FRAME_HEIGHT, FRAME_WIDTH, MARGIN, build_pdf, field_table, grid, p, photo_grid, prepare, styles
from reports.survey_pdf import statutory_short
from reports.survey_priority import priority

TITLE = "空き家カルテ"
INTENTION_NOT_SURVEYED = "所有者意向調査：未実施"
# The owners' answers are counted in the report's chapter and never printed per house (a カルテ is handed
# to the town's 空き家バンク; the owner's consent is per answer): the カルテ says where they are.
INTENTION_ELSEWHERE = "所有者意向調査：この契約で実施。回答は家屋ごとには載せていません（報告書「所有者意向調査」に集計）"
NO_HOUSES = "この契約には、郵便局が承認した調査結果がまだありません。承認されると、1軒1ページのカルテになります。"
PHOTO_MM = 62
LABEL_MM = 42
NOT_A_VERDICT = ("このカルテは道路からの外観調査の記録です。空き家の可能性・不良度・所見・活用可能性は外から見えたことに"
                 "基づく目安で、空家等・管理不全空家等・特定空家等の認定でも、資産価値の評価でもありません。")


def house_karte_pdf(report: SurveyReport, fonts: Fonts, *, substitute_missing: bool = False) -> bytes:
    """One page per row of `report`, in 整理番号 order (the report's rows; give one row for one house)."""
    r, notes = prepare(report, fonts, substitute_missing)
    st = styles(fonts, base=9.5)
    st.h3 = st.text.clone("h3", fontSize=10, spaceBefore=5, spaceAfter=2, keepWithNext=1)
    story: list = []
    for n, row in enumerate(sorted(r.rows, key=lambda x: x.ref)):
        if n:
            story.append(PageBreak())
        story.append(KeepInFrame(FRAME_WIDTH, FRAME_HEIGHT, _page(r, row, st), mode="shrink"))
    if not story:
        story = [p(TITLE, st.h2), p(NO_HOUSES, st.text)]
    c = r.contract
    return build_pdf(story, title=f"{c.title} {TITLE}", subject=c.municipality, author=c.contractor,
                     issued_on=r.issued_on, footer=f"{c.municipality}　{c.title}　{TITLE}（{era_date(r.issued_on)}作成）",
                     fonts=fonts, notes=notes)


def _page(r: SurveyReport, row: SurveyRow, st) -> list:
    pr = row.property
    building = "・".join(x for x in (pr.building_use, pr.structure, f"{pr.storeys}階建" if pr.storeys else "") if x)
    ids = "　".join(f"{k} {v}" for k, v in (("台帳番号", pr.ledger_no), ("地番", pr.chiban), ("家屋番号", pr.kaoku_no)) if v)
    coords = f"北緯 {pr.lat:.6f}　東経 {pr.lon:.6f}" if pr.lat is not None and pr.lon is not None else "未取得"
    out = [p(f"{TITLE}　No.{row.ref}", st.h2), p(pr.address, st.big)]
    if row.photos:
        out.append(photo_grid(row.photos[:2], 2, st, image_height=PHOTO_MM * mm))
    else:
        out.append(p("（承認済みの写真はありません）", st.small))
    out += [
        field_table([("大字・番号", f"{pr.district or '―'}　{ids or '―'}"),
                     ("位置", coords),
                     ("建物（台帳）", building or "―"),
                     ("建築年月日（台帳）", pr.built_on or "台帳に記録なし")], st, label_width=LABEL_MM * mm),
        p("外観調査の結果", st.h3),
        field_table(_results(r, row, st), st, label_width=LABEL_MM * mm),
        Spacer(1, 2 * mm), p("所見（外観から。認定ではありません）", st.text),
    ]
    small = st.cell.clone("karte_small", fontSize=8, leading=10)
    if row.flags:
        flags = [[p(h, st.cell_head) for h in ("区分", "緊急度", "所見")]]
        flags += [[p(f.category, small), p(f.urgency, small), p(f.label, small)]
                  for f in sorted(row.flags, key=lambda f: URGENCIES.index(f.urgency))]
        out.append(grid(flags, [30 * mm, 18 * mm, FRAME_WIDTH - 48 * mm], st, head_rows=1))
    else:
        out.append(p("該当する所見はありません。", st.cell))
    out += [Spacer(1, 2 * mm),
            field_table([("コメント（調査員）", row.comment or "―"),
                         ("所有者意向", INTENTION_ELSEWHERE if r.owner_survey else INTENTION_NOT_SURVEYED)],
                        st, label_width=LABEL_MM * mm),
            Spacer(1, 2 * mm), p(NOT_A_VERDICT, st.small)]
    if r.reuse is not None:
        out.append(p(f"{r.reuse.label}：{r.reuse.caveat}", st.small))
    return out


def _results(r: SurveyReport, row: SurveyRow, st) -> list[tuple[str, object]]:
    results: list[tuple[str, object]] = [
        ("調査日時", f"{japanese_datetime(row.surveyed_at)}（調査票 第{row.rubric_version or r.rubric_version}版）"),
        ("現況・空き家の可能性", row.likelihood),
        ("優先度", priority(row, r.ranks).label),
        ("不良度（別表第1）", statutory_short(row) if row.statutory is not None else (row.form_note or "調査票に評定なし")),
    ]
    if row.statutory is not None and row.statutory.unseen:
        results.append(("外から確認できない評定項目", "、".join(row.statutory.unseen)))
    if row.reuse is not None:
        reasons = "\n".join(f"・{reason}" for reason in row.reuse.reasons)
        results.append(("活用可能性（目安）", p(f"{row.reuse.label}\n{reasons}", st.cell)))
    else:
        results.append(("活用可能性（目安）", "この調査票では判定していません"))
    return results
