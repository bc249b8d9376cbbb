"""How big the survey report is with real v2 content: every item of 別表第1 survey v2 answered, a comment,
three distinct photos per house (800 × 600, quality 70, as photo ingest leaves its report-size copy),
findings and statutory ranges as the engine scores them (a third of the houses damaged, see _answers).
Prints pages per house and pages and MB per 1,000 houses (from two sizes, so the fixed front matter is
not counted per house).

    .venv/bin/python bench/survey_size.py            # 40 and 80 houses
    .venv/bin/python bench/survey_size.py --houses 100 200
"""

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without install

from reports import load_fonts, survey_report_pdf  # noqa: E402
from reports.samples import make_photo, survey_report  # noqa: E402
from server.documents import survey as survey_build  # noqa: E402
from server.documents import queries as q  # noqa: E402
from server.inspections.approved import ApprovedVisit  # noqa: E402
from server.rubrics import RubricRegistry, score  # noqa: E402
from server.core.settings import Settings  # noqa: E402

COMMENT = "南側の屋根に瓦のずれ、東面の外壁に下地の露出が見られる。郵便受けにチラシが溜まり、雨戸は閉め切り。"


def _answers(rubric, rnd: random.Random, damaged_share: float) -> dict:
    """Every item answered. About a third of the houses are damaged: each of their items is answered with
    a random option (damage, unseen, a finding) one time in four, so findings and ranges vary."""
    damaged = rnd.random() < damaged_share
    answers = {}
    for item in rubric.all_items():
        if item.type == "text":
            answers[item.key] = COMMENT
        elif damaged and rnd.random() < 0.25:
            answers[item.key] = rnd.choice(item.options).value
        else:  # the sound answer: no severity, no points (for a yes/no item: no)
            answers[item.key] = next(o.value for o in item.options if not o.severity and not o.points
                                     and o.value is not True)
    return answers


def report_with(houses: int, photo_dir: Path, damaged_share: float = 0.35):
    rubric = RubricRegistry.load_dir(Settings().rubrics_dir).get("municipal_survey", 2)
    base = survey_report(photo_dir / "base", n=1)
    rnd = random.Random(houses)
    rows = []
    for i in range(houses):
        answers = _answers(rubric, rnd, damaged_share)
        result = msgspec.to_builtins(score(rubric, answers))
        visit = ApprovedVisit(id=f"v{i}", property_id=f"p{i}", task_id=None, rubric_id=rubric.id,
                                rubric_version=rubric.version, started_at="2026-06-15T09:50:00+09:00",
                                finished_at="2026-06-15T10:00:00+09:00", answers=answers, result=result, notes="",
                                reviewed_at=None, carrier_name="佐藤 一郎")
        house = q.HouseRow(id=f"p{i}", address=f"宮城県東松島市赤井字台{i + 1}番地", district=["赤井", "矢本", "大曲"][i % 3],
                           lat=38.40 + rnd.random() * 0.05, lon=141.15 + rnd.random() * 0.1, real_estate_id=None,
                           building_use="専用住宅", structure="木造", storeys=2, municipality_code="042145",
                           municipality_name="東松島市", prefecture="宮城県", office_code="10001",
                           ledger_no=f"HM-{i + 1:05d}")
        files, photos = {}, []
        for n, slot in enumerate(("overview", "front", "damage")):
            path = make_photo(photo_dir / f"{i}_{slot}.jpg", seed=i * 10 + n, size=(800, 600), quality=70)
            files[f"{i}-{slot}"] = path
            photos.append(q.PhotoRow(id=f"{i}-{slot}", slot=slot, taken_at="2026-06-15T09:57:00+09:00"))
        rows.append(survey_build.survey_row(i + 1, rubric, visit, house, photos, files, contract=rubric))
    return msgspec.structs.replace(base, rows=rows, ranks=survey_build.rank_definitions(rubric, rubric),
                                   criteria=survey_build.criteria(rubric), blank_form=survey_build.blank_form(rubric),
                                   item_columns=[], comparison=None, issued_on=date(2026, 7, 1))


def pages(pdf: bytes, work: Path) -> int:
    path = work / "size.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--houses", type=int, nargs=2, default=[40, 80])
    args = ap.parse_args()
    fonts = load_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        measured = []
        for n in args.houses:
            report = report_with(n, work / f"photos{n}")
            started = time.perf_counter()
            pdf = survey_report_pdf(report, fonts, photo_cache=work / "cache")
            measured.append((n, pages(pdf, work), len(pdf), time.perf_counter() - started))
    (n1, p1, b1, _), (n2, p2, b2, seconds) = measured
    per_house_pages, per_house_bytes = (p2 - p1) / (n2 - n1), (b2 - b1) / (n2 - n1)
    fixed_pages, fixed_bytes = p1 - per_house_pages * n1, b1 - per_house_bytes * n1
    print(f"survey report, real v2 sheets (all items, 3 photos each): {per_house_pages:.2f} pages per house; "
          f"per 1,000 houses {fixed_pages + 1000 * per_house_pages:,.0f} pages, "
          f"{(fixed_bytes + 1000 * per_house_bytes) / 1e6:.1f} MB "
          f"(measured at {n1} and {n2} houses: {p1} and {p2} pages, {b1 / 1e6:.1f} and {b2 / 1e6:.1f} MB; "
          f"{n2} houses built in {seconds:.1f} s)")


if __name__ == "__main__":
    main()
