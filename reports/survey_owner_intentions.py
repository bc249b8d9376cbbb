"""The survey report's chapter 「所有者意向調査」: letters sent, returned and answered, the 回収率, what the
owners answered (今後の意向, 現在の利用状況, 困りごと, 空き家バンク) and 今後の意向 by the house's 利活用判定 and
by its 不良度（別表第1）.
Counts only: no owner is named."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from reports.letters_model import OwnerSurveyTally
from reports.model import SurveyReport
from reports.pdf_base import FRAME_WIDTH, grid, p


def _rate(n: int, d: int) -> str:
    return f"{n / d * 100:.1f}%" if d else "—"


def _counts(title: str, pairs: list[tuple[str, int]], st, note: str = "", head: str = "回答") -> list:
    if not pairs:
        return []
    out = [Spacer(1, 3 * mm), p(title, st.h3),
           grid([[p(head, st.cell_head), p("件数", st.cell_head)]]
                + [[p(label, st.cell), p(str(n), st.right)] for label, n in pairs], [110 * mm, 25 * mm], st, head_rows=1)]
    return out + ([Spacer(1, 1 * mm), p(note, st.small)] if note else [])


def owner_survey_chapter(r: SurveyReport, st) -> list:
    t = r.owner_survey
    if t is None:
        return []
    reached = t.sent - t.returned
    out = [PageBreak(), p("所有者意向調査", st.h2),
           p("調査で空き家の可能性があると見られた建物の所有者（固定資産課税台帳による）に、町の依頼文とアンケートを郵送しました。"
             "回答は、同封の回答コードを使ったWebの回答ページと返信はがきで受け付けました。以下は件数の集計で、"
             "個人を特定できる情報は載せていません。", st.text),
           Spacer(1, 2 * mm),
           p(f"発送 {t.sent} 通 ／ 返戻 {t.returned} 通 ／ 回答 {t.answered} 件（Web {t.answered_web}、はがき {t.answered_paper}）", st.h3),
           p(f"回収率 {_rate(t.answered, t.sent)}（回答数 ÷ 発送数）、返戻を除く回収率 {_rate(t.answered, reached)}"
             f"（回答数 ÷ （発送数 − 返戻数））", st.text)]
    if t.returned_reasons:
        out += _counts("返戻の理由", t.returned_reasons, st, "返戻分は、課税台帳の住所では届かなかった所有者です（町の所在確認の対象）。",
                        head="理由")
    out += _counts("今後の意向", t.intentions, st)
    out += _counts("現在の利用状況", t.uses, st)
    out += _counts("困りごと（複数回答）", t.troubles, st, "複数回答のため、合計は回答数と一致しません。")
    out += _counts("空き家バンクへの登録の希望", t.akiya_bank, st)
    out += [Spacer(1, 1 * mm), p(f"町からの連絡に同意した回答：{t.consented} 件", st.text)]
    out += _cross_table("利活用判定（外観からの目安）と今後の意向", "利活用判定＼意向", t.cross_rows, t, st,
                        "利活用判定は外観と台帳からの目安で、建物の価値や売買の可否の判断ではありません。")
    out += _cross_table("不良度（住宅地区改良法施行規則 別表第1）と今後の意向", "不良度＼意向", t.statutory_cross_rows, t, st,
                        "不良度は道路から見えた範囲の評点による区分（集計の「不良度（別表第1）」と同じ）で、"
                        "空家等・特定空家等の認定ではありません。")
    return out


def _cross_table(title: str, corner: str, rows: list[tuple[str, list[int]]], t: OwnerSurveyTally, st,
                 note: str) -> list:
    """A class of the house (rows) by 今後の意向 (columns), with each row's total."""
    if not rows:
        return []
    first, total = 57 * mm, 11 * mm
    width = (FRAME_WIDTH - first - total) / len(t.cross_columns)
    small = st.cell_head.clone("xt", fontSize=7.5, leading=9)
    label = st.cell.clone("xt_label", fontSize=8, leading=10)
    number = st.right.clone("xt_number", fontSize=8, leading=10)
    head = [p(corner, small)] + [p(c, small) for c in t.cross_columns] + [p("計", small)]
    body = [[p(name, label)] + [p(str(n), number) for n in counts] + [p(str(sum(counts)), number)]
            for name, counts in rows]
    return [Spacer(1, 3 * mm), KeepTogether([p(title, st.h3),
                                             grid([head] + body, [first] + [width] * len(t.cross_columns) + [total], st,
                                                  head_rows=1),
                                             Spacer(1, 1 * mm), p(note, st.small)])]
