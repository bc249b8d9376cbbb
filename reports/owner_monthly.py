"""空き家みまもり報告書: the monthly watch report sent to an absent owner."""

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer

from reports.dates import clock, japanese_date, japanese_month
from reports.fonts import Fonts
from reports.model import Change, OwnerMonthlyReport, Photo, WorkRecord
from reports.pdf_base import (
    FRAME_WIDTH, SEVERITY_INK, SEVERITY_MARK, SEVERITY_SHADE, addressee, build_pdf, field_table, grid,
    p, photo_cell, prepare, styles, table,
)

TITLE = "空き家みまもり報告書"


def owner_monthly_pdf(report: OwnerMonthlyReport, fonts: Fonts, *, substitute_missing: bool = False) -> bytes:
    """The owner's monthly report as PDF bytes (two A4 pages for an ordinary visit).

    Raises MissingGlyphs if a printed field holds a character the fonts lack, unless
    substitute_missing is set (then 〓 is printed in its place).
    """
    r, notes = prepare(report, fonts, substitute_missing)
    st = styles(fonts, base=11)
    month = japanese_month(r.visit_started_at.date() if r.visit_started_at else r.month, suffix="分")
    story = _without_watch_visit(r, month, st) if r.visit_started_at is None else _with_watch_visit(r, month, st)
    return build_pdf(
        story, title=f"{TITLE} {month}", subject=r.property.address, author=r.office.name,
        issued_on=r.issued_on, footer=f"{r.office.name}　{TITLE}　No.{r.reference}", fonts=fonts, notes=notes,
    )


def _opening(r: OwnerMonthlyReport, month: str, st) -> list:
    return [p(TITLE, st.title), p(month, st.subtitle), addressee(r.owner.name, r.issued_on, r.reference, st),
            p(r.greeting, st.body)]


def _next_visit_and_contact(r: OwnerMonthlyReport, st):
    return KeepTogether([p("次回の訪問・お問い合わせ", st.h2),
                         p(r.next_visit_note or f"次回の訪問は{japanese_month(r.next_visit_month)}の予定です。", st.big),
                         Spacer(1, 2 * mm), _contact(r, st)])


def _without_watch_visit(r: OwnerMonthlyReport, month: str, st) -> list:
    """A month with option work (草刈 …) but no approved watch visit: it says so plainly, prints the work under
    its option heading and the statement, and nothing observed at a visit that is not in it."""
    return [*_opening(r, month, st), p("見回りの記録", st.h2), p(r.no_watch_visit, st.big),
            *_options(r, st), _next_visit_and_contact(r, st), *_statement(r, month, st)]


def _with_watch_visit(r: OwnerMonthlyReport, month: str, st) -> list:
    return [
        *_opening(r, month, st),
        p("訪問の記録", st.h2),
        field_table(_visit_fields(r), st),
        Spacer(1, 3 * mm),
        _summary(r, st),
        p(f"点検項目（{len(r.items)}項目）", st.h2),
        _items_table(r, st),
        *_requested_spot(r, st),
        *_options(r, st),
        p("ご対応のお願い", st.h2),
        *_actions(r, st),
        _next_visit_and_contact(r, st),
        CondPageBreak(90 * mm),  # what changed, and the photos: usually page 2
        p("先月からの変化", st.h2),
        *_changes(r, st),
        *([p("担当者より", st.h2), p(r.remarks, st.body)] if r.remarks else []),
        p("今月の写真", st.h2),
        *_photos(r, st),
        *_statement(r, month, st),
    ]


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
    """Counts of the items table, what is asked of the owner, and the same change sentence as page 2."""
    counts = {s: sum(1 for i in r.items if i.severity == s) for s in (0, 1, 2)}
    text = "　／　".join(
        f'<font color="#{SEVERITY_INK[s].hexval()[2:]}">{SEVERITY_MARK[s]} {label} {counts[s]}項目</font>'
        for s, label in ((0, "異常なし"), (1, "要確認"), (2, "異常あり"))
    )
    asked = sum(1 for a in r.actions if not a.by_office)
    handled = sum(1 for a in r.actions if a.by_office)
    follow = (f"ご対応のお願い {asked}件　／　郵便局で対応 {handled}件" if r.actions
              else "今月は、ご対応をお願いすることはありません。")
    change = f"先月から変わった項目 {len(r.changes)}件（「先月からの変化」をご覧ください）" if r.changes else r.changes_note
    return KeepTogether([Paragraph(f"今月の結果　{text}", st.big), p(follow, st.body), p(change, st.body)])


def _items_table(r: OwnerMonthlyReport, st):
    rows = [[p("項目", st.cell_head), p("結果", st.cell_head), p("気づいたこと", st.cell_head)]]
    extra = []
    for n, item in enumerate(r.items, start=1):
        status = st.cell.clone("status", textColor=SEVERITY_INK[item.severity])
        rows.append([p(item.label, st.cell), p(f"{SEVERITY_MARK[item.severity]} {item.status}", status),
                     p(item.comment or "―", st.cell)])
        extra.append(("BACKGROUND", (1, n), (1, n), SEVERITY_SHADE[item.severity]))
    return grid(rows, [48 * mm, 44 * mm, FRAME_WIDTH - 92 * mm], st, head_rows=1, extra=extra)


def _options(r: OwnerMonthlyReport, st) -> list:
    """Under each option the owner has this month (and each piece of work done), what was done."""
    if r.option_work:
        return [p("オプションサービス（今月の実施内容）", st.h2),
                field_table([(w.heading, w.done) for w in r.option_work], st),
                *[block for w in r.option_work for record in w.records for block in _work_record(w.heading, record, st)]]
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


def _work_record(heading: str, record: WorkRecord, st) -> list:
    """One piece of ordered work under its heading: the day, what the carrier recorded, and its photos,
    作業前 beside 作業後 for each place."""
    head = st.text.clone("work_head", fontSize=st.text.fontSize + 1, spaceBefore=6, spaceAfter=3, keepWithNext=1)
    out = [p(f"{heading}　{japanese_date(record.day)} 実施", head),
           *([field_table([(f.label, f.answer) for f in record.facts], st, label_width=48 * mm)] if record.facts else [])]
    pairs = [w for w in record.photos if w.before or w.after]
    if pairs:
        half = FRAME_WIDTH / 2
        rows = [[photo_cell(w.before, half - 10, 45 * mm, st, caption=f"作業前 {w.place}".strip()),
                 photo_cell(w.after, half - 10, 45 * mm, st, caption=f"作業後 {w.place}".strip())] for w in pairs]
        out += [Spacer(1, 2 * mm), table(rows, [half, half], st, [("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                                                  ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])]
    alone = [ph for w in record.photos for ph in w.alone]
    if alone:
        cell = FRAME_WIDTH / 3
        out.append(_photo_rows([photo_cell(ph, cell - 8, 40 * mm, st) for ph in alone], 3, cell, st))
    return [KeepTogether(out[:2]), *out[2:], Spacer(1, 3 * mm)]


def _statement(r: OwnerMonthlyReport, month: str, st) -> list:
    """利用明細 on a page of its own: each line with its amount, the total, how amounts were decided, and
    that akiya takes no payments."""
    s = r.statement
    if s is None:
        return []
    right = st.cell.clone("amount", alignment=2)
    rows = [[p("サービス", st.cell_head), p("内容", st.cell_head), p("金額", st.cell_head)]]
    for line in s.lines:
        amount = "料金未設定" if line.yen is None else f"{line.yen:,}円"
        name = [p(line.name, st.cell)] + ([p(line.reference, st.small)] if line.reference else [])
        rows.append([name, p(line.detail, st.cell), p(amount, right)])
    if not s.lines:
        rows.append([p("今月のご利用はありません", st.cell), p("一時停止中" if s.paused else "―", st.cell), p("0円", right)])
    rows.append([p("合計", st.cell_head), p("", st.cell), p(f"{s.total_yen:,}円", st.cell_head.clone("total", alignment=2))])
    notes = []
    if s.paused:
        notes.append(p("今月の訪問予定日には一時停止中でしたので、月額の料金はありません。", st.body))
    if s.unpriced:
        notes.append(p("料金未設定の項目（" + "、".join(s.unpriced) + "）は合計に含めていません。料金は郵便局にお問い合わせください。",
                       st.body))
    return [PageBreak(), p("利用明細", st.title), p(month, st.subtitle),
            grid(rows, [60 * mm, FRAME_WIDTH - 100 * mm, 40 * mm], st, head_rows=1),
            Spacer(1, 3 * mm), *notes, p(s.rule, st.body), p(s.no_payment, st.big)]


def _requested_spot(r: OwnerMonthlyReport, st) -> list:
    spot = r.requested_spot
    if spot is None:
        return []
    title = f"ご依頼箇所（{spot.name}）" if spot.name else "ご依頼箇所"
    answer = spot.answer or "今月は、この箇所についての記録がありません。郵便局からご連絡します。"
    return [p(title, st.h2), p(answer, st.body)]


def _actions(r: OwnerMonthlyReport, st) -> list:
    """One entry per △ / × item: an お願い (what, why, by when) or 「郵便局で対応します」."""
    if not r.actions:
        return [p("今月は、ご対応をお願いすることはありません。", st.body)]
    out = []
    for a in r.actions:
        head = p(f"● {a.item_label}（{SEVERITY_MARK[a.severity]}）", st.text)
        if a.by_office:
            body = [p(f"郵便局で対応します：{a.title}", st.body)]
        else:
            body = [p(f"お願い：{a.title}", st.body)]
            body += [p(f"理由：{a.detail}", st.body)] if a.detail else []
            body += [p(f"期限の目安：{a.by_when}", st.body)] if a.by_when else []
            body += [p(a.basis, st.small)] if a.basis else []
        out.append(KeepTogether([head, *body, Spacer(1, 2 * mm)]))
    return out


def _changes(r: OwnerMonthlyReport, st) -> list:
    if not r.changes:
        return [p(r.changes_note, st.body)]
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



def _caption(photo: Photo) -> str:
    return photo.slot_label + (f"（{photo.heading}）" if photo.heading else "")


def _photos(r: OwnerMonthlyReport, st) -> list:
    """This month's photos; where an earlier visit has the same slot, that photo sits beside it,
    labelled with its date. Earlier photos without a partner follow, also dated."""
    waived = [p("撮影できなかった写真：" + "、".join(f"{w.slot_label}（{w.reason}）" for w in r.photo_waivers), st.body)] \
        if r.photo_waivers else []
    if not r.photos and not r.earlier_photos:
        return [p("今月の写真はありません。", st.body), *waived]
    earlier = {}
    for ph in r.earlier_photos:
        earlier.setdefault(ph.slot_key, ph)
    paired = [(ph, earlier.pop(ph.slot_key)) for ph in r.photos if ph.slot_key in earlier]
    alone = [ph for ph in r.photos if ph not in [now for now, _ in paired]]
    out = []
    if paired:
        cell = FRAME_WIDTH / 4
        cells = [c for now, then in paired for c in (
            photo_cell(now, cell - 8, 30 * mm, st, caption=f"今月 {_caption(now)}"),
            photo_cell(then, cell - 8, 30 * mm, st, caption=f"以前 {_caption(then)}"))]
        out += [p("同じ位置の以前の写真を右隣に並べています（撮影日時つき）。", st.small), _photo_rows(cells, 4, cell, st)]
    if alone:
        cell = FRAME_WIDTH / 3
        out.append(_photo_rows([photo_cell(ph, cell - 8, 40 * mm, st, caption=_caption(ph)) for ph in alone], 3, cell, st))
    if not r.photos:
        out.append(p("今月の写真はありません。", st.body))
    if earlier:
        cell = FRAME_WIDTH / 4
        out += [p("以前の写真（撮影日時つき）", st.text),
                _photo_rows([photo_cell(ph, cell - 8, 30 * mm, st, caption=f"以前 {_caption(ph)}")
                             for ph in earlier.values()], 4, cell, st)]
    return out + waived


def _photo_rows(cells: list, columns: int, cell_width: float, st):
    rows = [cells[i:i + columns] + [""] * (columns - len(cells[i:i + columns])) for i in range(0, len(cells), columns)]
    return table(rows, [cell_width] * columns, st, [("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
