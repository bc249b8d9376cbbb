"""災害後見回り報告: what a carrier saw from the road after a disaster. Observations,
never a damage verdict: that is the municipality's 被害認定."""

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from reports.dates import japanese_date, japanese_datetime, short_datetime
from reports.fonts import Fonts
from reports.model import DisasterNotice
from reports.pdf_base import (
    FRAME_WIDTH, SEVERITY_INK, SEVERITY_MARK, SEVERITY_SHADE, addressee, build_pdf, field_table, grid, p,
    photo_grid, prepare, styles, table,
)

TITLE = "災害後見回り報告"


def disaster_notice_pdf(notice: DisasterNotice, fonts: Fonts, *, substitute_missing: bool = False) -> bytes:
    """The post-disaster notice as PDF bytes. MissingGlyphs as for owner_monthly_pdf."""
    n, notes = prepare(notice, fonts, substitute_missing)
    st = styles(fonts, base=11)
    story = [
        p(TITLE, st.title),
        p(n.event.name, st.subtitle),
        addressee(n.owner.name, n.issued_on, n.reference, st),
        Spacer(1, 2 * mm),
        _about(n, st),
        p("災害と確認の記録", st.h2),
        field_table([
            ("災害", n.event.name + (f"（{n.event.detail}）" if n.event.detail else "")),
            ("発生日", japanese_date(n.event.occurred_on)),
            ("物件の所在地", n.property.address),
            ("確認日時", japanese_datetime(n.checked_at)),
            ("担当", f"{n.office.name}　{n.carrier_family_name}"),
        ], st),
        p("道路から見えた状況", st.h2),
        _observations(n, st),
        *_flood(n, st),
        p("危険箇所の連絡", st.h2),
        _hazards(n, st),
        *([p("担当者より", st.h2), p(n.owner_message, st.body)] if n.owner_message else []),
        p("今後お願いしたいこと", st.h2),
        *([p(f"● {step}", st.body) for step in n.next_steps]
          or [p("現時点で、お願いすることはありません。", st.body)]),
        p("写真", st.h2),
        photo_grid(n.photos, 2, st, image_height=62 * mm) if n.photos else p("写真はありません。", st.body),
        p("お問い合わせ", st.h2),
        field_table([("お問い合わせ先", "　".join(x for x in (n.office.name, n.office.address) if x)),
                     ("電話番号", n.office.phone + (f"（受付 {n.office.hours}）" if n.office.hours else ""))], st),
    ]
    return build_pdf(
        story, title=f"{TITLE} {n.event.name}", subject=n.property.address, author=n.office.name,
        issued_on=n.issued_on, footer=f"{n.office.name}　{TITLE}　No.{n.reference}", fonts=fonts, notes=notes,
    )


def _about(n: DisasterNotice, st):
    text = n.about
    return table([[Paragraph(text, st.body)]], [FRAME_WIDTH], st, [("BOX", (0, 0), (-1, -1), 1.2, SEVERITY_INK[1]),
                                              ("BACKGROUND", (0, 0), (-1, -1), SEVERITY_SHADE[1]),
                                              ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                              ("TOPPADDING", (0, 0), (-1, -1), 6),
                                              ("BOTTOMPADDING", (0, 0), (-1, -1), 7)])


def _observations(n: DisasterNotice, st):
    rows = [[p("箇所", st.cell_head), p("見えた状況", st.cell_head)]]
    for o in n.observations:
        ink = st.cell.clone("obs", textColor=SEVERITY_INK[o.severity])
        rows.append([p(o.label, st.cell), p(f"{SEVERITY_MARK[o.severity]} {o.value}", ink)])
    return grid(rows, [45 * mm, FRAME_WIDTH - 45 * mm], st, head_rows=1)


def _flood(n: DisasterNotice, st) -> list:
    f = n.flood
    if f is None or (f.above_ground_cm is None and f.above_floor_cm is None):
        return []
    ground = f"約{f.above_ground_cm}cm" if f.above_ground_cm is not None else "確認できませんでした"
    if f.level:  # rubric v2: the carrier chose 床下 / 床上 / unknown; depth above the floor only for 床上
        floor = f"{f.level}" + (f"（床上 約{f.above_floor_cm}cm）" if f.above_floor_cm else "")
        return [p("浸水の跡", st.h2),
                field_table([("地面からの高さ", ground), ("床との関係", floor)], st, label_width=40 * mm),
                p("浸水の高さは外から見た跡による目安です。", st.small)]
    floor = (f"床上 約{f.above_floor_cm}cm" if f.above_floor_cm and f.above_floor_cm > 0
             else "床より下（床上への浸水は見えませんでした）" if f.above_floor_cm == 0
             else "外からは確認できませんでした")
    return [p("浸水の跡", st.h2),
            field_table([("地面からの高さ", ground), ("床からの高さ", floor)], st, label_width=40 * mm),
            p("浸水の高さは外から見た跡による目安です。", st.small)]


def _hazards(n: DisasterNotice, st):
    """Reports the carrier recorded (to whom, when); hazards seen without a recorded report are
    listed as such, never as reported."""
    if not n.hazards_reported and not n.hazards_unreported:
        return p("危険な状態（ガス臭・電線・煙など）は見当たりませんでした。", st.body)
    rows = [[p("危険箇所", st.cell_head), p("通報・連絡先", st.cell_head), p("時刻", st.cell_head)]]
    rows += [[p(h.hazard, st.cell), p(h.reported_to, st.cell),
              p(short_datetime(h.reported_at) or h.reported_when or "時刻の記録なし", st.cell)]
             for h in n.hazards_reported]
    rows += [[p(h, st.cell), p("通報の記録なし", st.cell), p("―", st.cell)] for h in n.hazards_unreported]
    return grid(rows, [75 * mm, 65 * mm, FRAME_WIDTH - 140 * mm], st, head_rows=1)
