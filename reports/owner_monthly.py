"""空き家みまもり報告書: the monthly watch report sent to an absent owner."""

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from reports.dates import clock, japanese_date, japanese_month
from reports.fonts import Fonts
from reports.model import Change, OwnerMonthlyReport
from reports.pdf_base import (
    FRAME_WIDTH, SEVERITY_INK, SEVERITY_MARK, SEVERITY_SHADE, addressee, build_pdf, field_table, grid,
    p, photo_cell, photo_grid, prepare, styles, table,
)

TITLE = "空き家みまもり報告書"


def owner_monthly_pdf(report: OwnerMonthlyReport, fonts: Fonts, *, substitute_missing: bool = False) -> bytes:
    """The owner's monthly report as PDF bytes (two A4 pages for an ordinary visit).

    Raises MissingGlyphs if a printed field holds a character the fonts lack, unless
    substitute_missing is set (then 〓 is printed in its place).
    """
    r, notes = prepare(report, fonts, substitute_missing)
    st = styles(fonts, base=11)
    month = japanese_month(r.visit_started_at.date(), suffix="分")
    story = [
        p(TITLE, st.title),
        p(month, st.subtitle),
        addressee(r.owner.name, r.issued_on, r.reference, st),
        p("いつも郵便局の「空き家のみまもりサービス」をご利用いただき、ありがとうございます。"
          "今月の見回りの結果を、次のとおりご報告いたします。", st.body),
        p("訪問の記録", st.h2),
        field_table(_visit_fields(r), st),
        Spacer(1, 3 * mm),
        _summary(r, st),
        p(f"点検項目（毎月の{len(r.items)}項目）", st.h2),
        _items_table(r, st),
        *_options(r, st),
        p("ご対応のお願い", st.h2),
        *_actions(r, st),
        KeepTogether([p("次回の訪問・お問い合わせ", st.h2),
                      p(f"次回の訪問は{japanese_month(r.next_visit_month)}の予定です。", st.big),
                      Spacer(1, 2 * mm), _contact(r, st)]),
        PageBreak(),  # page 2: what changed, and the photos
        p("先月からの変化", st.h2),
        *_changes(r, st),
        *([p("担当者より", st.h2), p(r.remarks, st.body)] if r.remarks else []),
        p("今月の写真", st.h2),
        photo_grid(r.photos, 3, st, image_height=40 * mm) if r.photos else p("今月の写真はありません。", st.body),
    ]
    return build_pdf(
        story, title=f"{TITLE} {month}", subject=r.property.address, author=r.office.name,
        issued_on=r.issued_on, footer=f"{r.office.name}　{TITLE}　No.{r.reference}", fonts=fonts, notes=notes,
    )


def _visit_fields(r: OwnerMonthlyReport) -> list[tuple[str, str]]:
    start = r.visit_started_at
    span = clock(start) + (f"～{clock(r.visit_ended_at)}" if r.visit_ended_at else "")
    fields = [
        ("物件の所在地", r.property.address),
        ("訪問日時", f"{japanese_date(start.date())}　{span}"),
        ("担当", f"{r.office.name}　{r.carrier_family_name}"),
    ]
    if r.weather:
        fields.append(("天候", r.weather))
    return fields


def _summary(r: OwnerMonthlyReport, st):
    counts = {s: sum(1 for i in r.items if i.severity == s) for s in (0, 1, 2)}
    text = "　／　".join(
        f'<font color="#{SEVERITY_INK[s].hexval()[2:]}">{SEVERITY_MARK[s]} {label} {counts[s]}項目</font>'
        for s, label in ((0, "異常なし"), (1, "要確認"), (2, "異常あり"))
    )
    return Paragraph(f"今月の結果　{text}", st.big)


def _items_table(r: OwnerMonthlyReport, st):
    rows = [[p("項目", st.cell_head), p("結果", st.cell_head), p("気づいたこと", st.cell_head)]]
    extra = []
    for n, item in enumerate(r.items, start=1):
        status = st.cell.clone("status", textColor=SEVERITY_INK[item.severity])
        rows.append([p(item.label, st.cell), p(f"{SEVERITY_MARK[item.severity]} {item.status}", status),
                     p(item.comment or "―", st.cell)])
        extra.append(("BACKGROUND", (1, n), (1, n), SEVERITY_SHADE[item.severity]))
    return grid(rows, [50 * mm, 30 * mm, FRAME_WIDTH - 80 * mm], st, head_rows=1, extra=extra)


def _options(r: OwnerMonthlyReport, st) -> list:
    lines = []
    if r.airing:
        done = "換気し、水道の通水を行いました" if r.airing.water_run else "換気しました"
        lines.append(("通風・通水", f"{r.airing.rooms}部屋の窓と玄関を開けて、約{r.airing.minutes}分間{done}。"))
    if r.mail:
        mail = []
        if r.mail.moved_inside:
            mail.append(f"郵便受箱の投函物 {r.mail.moved_inside}通を室内へ移しました。")
        if r.mail.forwarded:
            mail.append(f"{r.mail.forwarded}通をご指定の送付先へお送りしました。")
        lines.append(("郵便物", "".join(mail) or "今月、郵便受箱に投函物はありませんでした。"))
    if not lines:
        return []
    return [p("オプションサービス（今月実施したもの）", st.h2), field_table(lines, st)]


def _actions(r: OwnerMonthlyReport, st) -> list:
    if not r.actions:
        return [p("今月は、ご対応をお願いすることはありません。", st.body)]
    out = []
    for a in r.actions:
        out.append(KeepTogether([p(f"● {a.title}", st.text), p(a.detail, st.body), Spacer(1, 2 * mm)]))
    return out


def _changes(r: OwnerMonthlyReport, st) -> list:
    if not r.changes:
        return [p("先月の訪問時から変わったところはありません。", st.body)]
    return [_change_block(c, st) for c in r.changes]


def _change_block(c: Change, st):
    word = "悪くなりました" if c.direction == "worse" else "良くなりました"
    sev = 2 if c.direction == "worse" else 0
    head = p(f"{c.item_label}：{c.before} → {c.after}（{word}）", st.text)
    head.style = head.style.clone("change", textColor=SEVERITY_INK[sev])
    half = FRAME_WIDTH / 2
    pair = table([[photo_cell(c.photo_before, half - 10, 50 * mm, st, caption="先月"),
                   photo_cell(c.photo_after, half - 10, 50 * mm, st, caption="今月")]], [half, half], st,
                 [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    body = [head] + ([p(c.comment, st.body)] if c.comment else [])
    if c.photo_before or c.photo_after:
        body.append(pair)
    return KeepTogether(body + [Spacer(1, 3 * mm)])


def _contact(r: OwnerMonthlyReport, st):
    o = r.office
    phone = o.phone + (f"（受付 {o.hours}）" if o.hours else "")
    fields = [("お問い合わせ先", "　".join(x for x in (o.name, o.address) if x))]
    return field_table(fields + ([("電話番号", phone)] if o.phone else []), st)

