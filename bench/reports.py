"""Benchmark the documents in `reports` and print the figures.

    .venv/bin/python bench/reports.py            # full: 1,000 owner reports, 1,000-property survey
    .venv/bin/python bench/reports.py --quick    # short form for CI: 50 reports, 100 properties

Photos are synthetic but photo-like JPEGs (reports.samples.make_photo): "large" is a
1024×768 report-size derivative at quality 80 (~150 KB, like a real exterior shot),
"medium" 800×600 at quality 70 (~70 KB), "print" 640×480 at quality 75 (~50 KB, still
≥ 200 dpi at the sizes the owner report prints them). Timings use "large". The HTML
path renders the same owner report with WeasyPrint for comparison.
"""

import argparse
import html
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without install

from reports import load_fonts, owner_monthly_pdf, survey_report_pdf  # noqa: E402
from reports.dates import japanese_date, japanese_datetime, japanese_month, short_datetime  # noqa: E402
from reports.model import OwnerMonthlyReport  # noqa: E402
from reports.samples import owner_report, survey_report  # noqa: E402

PHOTOS = {"large": dict(size=(1024, 768), quality=80), "medium": dict(size=(800, 600), quality=70),
          "print": dict(size=(640, 480), quality=75)}
_worker_fonts = None


def _init_worker():
    global _worker_fonts
    _worker_fonts = load_fonts()


def _build(args) -> int:
    report, out = args
    pdf = owner_monthly_pdf(report, _worker_fonts)
    Path(out).write_bytes(pdf)
    return len(pdf)


def owner_html(r: OwnerMonthlyReport) -> str:
    """The same owner report as HTML for WeasyPrint: same sections, font, photos (by file URL)."""
    e = html.escape

    def rows(pairs):
        return "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in pairs)

    def fig(p, label=None):
        return (f'<figure><img src="file://{e(p.path)}"><figcaption>{e(label or p.slot_label)} '
                f"{short_datetime(p.taken_at)}</figcaption></figure>")

    items = "".join(f"<tr><td>{e(i.label)}</td><td class=s{i.severity}>{e(i.status)}</td>"
                    f"<td>{e(i.comment or '―')}</td></tr>" for i in r.items)
    changes = "".join(f"<p>{e(c.item_label)}：{e(c.before)} → {e(c.after)}</p><p>{e(c.comment)}</p><div class=pair>"
                      f"{fig(c.photo_before, '先月')}{fig(c.photo_after, '今月')}</div>" for c in r.changes)
    visit = [("物件の所在地", r.property.address), ("訪問日時", japanese_datetime(r.visit_started_at)),
             ("担当", f"{r.office.name}　{r.carrier_family_name}"), ("天候", r.weather)]
    options = [("通風・通水", f"{r.airing.rooms}部屋、約{r.airing.minutes}分"),
               ("郵便物", f"{r.mail.moved_inside}通を室内へ移しました")]
    return f"""<!doctype html><html lang=ja><head><meta charset=utf-8><style>
@font-face {{ font-family: G; src: url(file:///usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf); }}
@page {{ size: A4; margin: 15mm; @bottom-right {{ content: counter(page) " / " counter(pages); }} }}
body {{ font-family: G; font-size: 11pt; line-break: strict; }} h1 {{ text-align: center; font-size: 20pt; }}
h2 {{ background: #eef2f5; font-size: 12.5pt; padding: 2pt 4pt; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border: 0.5pt solid #9aa5b1; padding: 2pt 4pt; }}
th {{ background: #eef2f5; width: 32mm; text-align: left; }} .s1 {{ background: #fff4d6; }}
figure {{ display: inline-block; width: 31%; margin: 0 1% 4pt; }} img {{ width: 100%; }}
figcaption {{ font-size: 8.5pt; }} .pair figure {{ width: 45%; }} .p2 {{ break-before: page; }}
</style></head><body><h1>空き家みまもり報告書</h1>
<p>{e(r.owner.name)} 様</p><p>発行日 {japanese_date(r.issued_on)}　報告書番号 {e(r.reference)}</p>
<p>いつも郵便局の「空き家のみまもりサービス」をご利用いただき、ありがとうございます。</p>
<h2>訪問の記録</h2><table>{rows(visit)}</table>
<h2>点検項目（毎月の7項目）</h2><table><tr><th>項目</th><th>結果</th><th>気づいたこと</th></tr>{items}</table>
<h2>オプションサービス</h2><table>{rows(options)}</table>
<h2>ご対応のお願い</h2>{"".join(f"<p>● {e(a.title)}</p><p>{e(a.detail)}</p>" for a in r.actions)}
<h2>次回の訪問・お問い合わせ</h2><p>次回の訪問は{japanese_month(r.next_visit_month)}の予定です。</p>
<table>{rows([("お問い合わせ先", r.office.name + " " + r.office.address), ("電話番号", r.office.phone)])}</table>
<div class=p2><h2>先月からの変化</h2>{changes}<h2>今月の写真</h2>{"".join(fig(p) for p in r.photos)}</div>
</body></html>"""


def medians_ms(fns: dict, runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall ms, CPU ms) per function, runs interleaved so a busy machine slows all alike."""
    times = {k: ([], []) for k in fns}
    for fn in fns.values():
        fn()  # warm up
    for _ in range(runs):
        for k, fn in fns.items():
            w, c = time.perf_counter(), time.process_time()
            fn()
            times[k][0].append((time.perf_counter() - w) * 1000)
            times[k][1].append((time.process_time() - c) * 1000)
    return {k: (statistics.median(w), statistics.median(c)) for k, (w, c) in times.items()}


def unique_photos(survey, work: Path):
    """Give every property its own photo files (links to the samples): reportlab embeds a file
    once per path, and a real survey never repeats a photo."""
    rows = []
    for row in survey.rows:
        photos = []
        for ph in row.photos:
            link = work / "links" / f"{row.ref}-{ph.slot_key}.jpg"
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(ph.path)
            photos.append(msgspec.structs.replace(ph, path=str(link)))
        rows.append(msgspec.structs.replace(row, photos=photos))
    return msgspec.structs.replace(survey, rows=rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="50 reports, 100 properties")
    ap.add_argument("--survey-only", action="store_true", help="only the survey report (1,000 properties)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="akiya-bench-"))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start (other work slows every figure)")
    try:
        if args.survey_only:
            survey_bench(work, load_fonts(), 100 if args.quick else 1000)
        else:
            run(work, *((50, 100, 10) if args.quick else (1000, 1000, 30)))
    finally:
        shutil.rmtree(work)
        print(f"load average {os.getloadavg()[0]:.1f} at end")


def run(work: Path, n_reports: int, n_props: int, runs: int) -> None:
    fonts = load_fonts()
    reports = {k: owner_report(work / k, **kw) for k, kw in PHOTOS.items()}
    for k, r in reports.items():
        sizes = [os.path.getsize(p.path) // 1024 for p in r.photos]
        print(f"photos '{k}': {len(r.photos)} × {PHOTOS[k]['size'][0]}px, {min(sizes)}–{max(sizes)} KB each")

    r = reports["large"]
    try:
        from weasyprint import HTML
        page = owner_html(r)
        html_path = {"html": lambda: HTML(string=page).write_pdf()}
    except (ImportError, OSError) as exc:
        print(f"WeasyPrint unavailable ({exc}); HTML comparison skipped")
        html_path = {}
    m = medians_ms({"reportlab": lambda: owner_monthly_pdf(r, fonts), **html_path}, runs)
    ms, cpu = m["reportlab"]
    print(f"owner report, median of {runs}: {ms:.1f} ms wall, {cpu:.1f} ms CPU (target ≤ 80 ms)")
    if html_path:
        hms, hcpu = m["html"]
        print(f"same owner report via HTML (WeasyPrint), same runs: {hms:.0f} ms wall, {hcpu:.0f} ms CPU "
              f"→ reportlab is {hms / ms:.1f}× faster by wall clock, {hcpu / cpu:.1f}× by CPU (target ≥ 5×)")
    for k, rep in reports.items():
        size = len(owner_monthly_pdf(rep, fonts)) / 1024
        print(f"owner report PDF size, {len(rep.photos)} photos '{k}' (+1 last-month photo): {size:.0f} KB "
              "(target ≤ 600 KB)")

    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2, initializer=_init_worker) as pool:
        total = sum(pool.map(_build, [(r, work / f"owner-{i}.pdf") for i in range(n_reports)], chunksize=10))
    secs = time.perf_counter() - t
    target = "≤ 90 s for 1,000" + (f", i.e. ≤ {90 * n_reports / 1000:.1f} s here" if n_reports != 1000 else "")
    print(f"{n_reports} owner reports (8 photos each) on 2 processes: {secs:.1f} s, "
          f"{total / 2**20:.0f} MB written ({target})")

    survey_bench(work, fonts, n_props)


def survey_bench(work: Path, fonts, n_props: int) -> None:
    """The survey report from photos as ingest leaves them (report-size, 800 px): first build (sheet-size
    derivatives made), a second build (derivatives reused), the size, and the largest 大字 part."""
    from reports import survey_report_pdfs_by_district

    survey = unique_photos(survey_report(work / "survey", n_props, **PHOTOS["medium"]), work)
    photos = sum(os.path.getsize(ph.path) for row in survey.rows for ph in row.photos)
    cache = work / "sheet-photos"
    t = time.perf_counter()
    pdf = survey_report_pdf(survey, fonts, photo_cache=cache)
    first = time.perf_counter() - t
    t = time.perf_counter()
    survey_report_pdf(survey, fonts, photo_cache=cache)
    again = time.perf_counter() - t
    print(f"survey report, {n_props} properties × 2 distinct 'medium' photos ({photos / 2**20:.0f} MB of "
          f"report-size photos): {first:.1f} s first build, {again:.1f} s with the sheet photos made, "
          f"{len(pdf) / 2**20:.1f} MB, {pdf.count(b'/Type /Page') - pdf.count(b'/Type /Pages')} pages "
          f"(targets ≤ 60 s, ≤ 50 MB for 1,000)")
    t = time.perf_counter()
    parts = survey_report_pdfs_by_district(survey, fonts, photo_cache=cache)
    biggest = max(parts.items(), key=lambda kv: len(kv[1]))
    print(f"split by 大字: {len(parts)} PDFs in {time.perf_counter() - t:.1f} s, the largest "
          f"（{biggest[0]}）{len(biggest[1]) / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
