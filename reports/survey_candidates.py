"""The survey report's chapter 「候補の抽出と結果の内訳」: where the candidates came from and what became
of each, as one line that adds up (候補 N = 調査 a + 居住中 b + … + 未了 f) and its tables."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from reports.model import CandidateTally, SurveyReport
from reports.pdf_base import FRAME_WIDTH, grid, p

SHORT = {"調査済": "調査", "更地・建替中": "更地"}  # the words of the reconciliation line


def reconciliation_line(t: CandidateTally) -> str:
    """候補 60 = 調査 31 + 居住中 6 + 更地 2 + 所在不明 1 + 対象外 2 + 未了 18"""
    return f"候補 {t.total} = " + " + ".join(f"{SHORT.get(label, label)} {n}" for label, n in t.outcomes)


def candidates_chapter(r: SurveyReport, st) -> list:
    t = r.candidates
    if t is None:
        return []
    out = [PageBreak(), p("候補の抽出と結果の内訳", st.h2),
           p("町から受け取った候補リスト（水道の使用状況、固定資産課税台帳、住民基本台帳、通報、目視など）の各行を、"
             "住所で町の家屋台帳と照合し、同じ家屋を挙げた複数のリストは1件の候補にまとめました。住所が複数の家屋に"
             "当てはまるものは郵便局の担当者が確かめて決め、自動では決めていません。調査済は承認された外観調査の記録から、"
             "ほかの結果は担当者の記録からの集計です。空き家の可能性は公道からの目視による所見で、判定ではありません。",
             st.text),
           Spacer(1, 2 * mm), p(reconciliation_line(t), st.h3)]
    widths = [FRAME_WIDTH / (len(t.outcomes) + 1)] * (len(t.outcomes) + 1)
    out.append(grid([[p("候補", st.cell_head)] + [p(label, st.cell_head) for label, _ in t.outcomes],
                     [p(str(t.total), st.right)] + [p(str(n), st.right) for _, n in t.outcomes]],
                    widths, st, head_rows=1))
    if t.surveyed_by_likelihood:
        out += [Spacer(1, 2 * mm), p("調査済の内訳（空き家の可能性）：" + "、".join(
            f"{label} {n}" for label, n in t.surveyed_by_likelihood), st.text)]
    if t.sources:
        out += [Spacer(1, 3 * mm), p("抽出元別の候補数", st.h3),
                grid([[p("抽出元", st.cell_head), p("候補数", st.cell_head)]]
                     + [[p(source, st.cell), p(str(n), st.right)] for source, n in t.sources],
                     [60 * mm, 30 * mm], st, head_rows=1),
                Spacer(1, 1 * mm), p(f"複数のリストに挙がった候補は {t.several_sources} 件です（抽出元別の数の合計は候補数より多くなります）。",
                  st.small)]
    if t.excluded_reasons:
        out += [Spacer(1, 3 * mm), p("対象外の理由", st.h3),
                grid([[p("理由", st.cell_head), p("件数", st.cell_head)]]
                     + [[p(reason, st.cell), p(str(n), st.right)] for reason, n in t.excluded_reasons],
                     [120 * mm, 30 * mm], st, head_rows=1)]
    if t.queued:
        out += [Spacer(1, 2 * mm)]
        out.append(p(f"住所の照合が済んでいない候補が {t.queued} 件あり、未了に含めています。", st.small))
    return out
