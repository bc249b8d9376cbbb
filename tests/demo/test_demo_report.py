"""The demo town's survey report as a town's officer gets it from `akiya report survey 1`: every chapter of
the contract shows (the 利活用判定 of the v3 visits, the owners' intentions by 利活用判定 and by 不良度),
and the command also writes the Shapefile and the 空き家カルテ. Read back with pdftotext and pyshp.

The demo is laid out at 2026-11-18 10:00 JST (the clock stopped there), as README's demo steps do."""

import asyncio
import re
import subprocess
from datetime import datetime

import pytest
import shapefile

from server.core.clock import JST, stopped_at
from server.core.settings import Settings
from server.demo.seed import seed_demo
from server.ops.cli import main

GIS = "空き家調査報告書_1_GIS_Shapefile"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo_report")
    settings = Settings(db=root / "demo.sqlite3", data_dir=root / "data")
    with stopped_at(datetime(2026, 11, 18, 10, 0, tzinfo=JST)):
        asyncio.run(seed_demo(settings))
        assert main(["report", "survey", "1", "--db", str(settings.db), "--data-dir", str(settings.data_dir),
                     "--out", str(root / "out")]) == 0
    return root / "out"


def _text(path) -> str:
    raw = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"[ \t]+", " ", raw)


def _section(text: str, heading: str, until: str) -> str:
    """From the line that is `heading` (a page may begin with it) to the line that begins with `until`."""
    start = re.search(rf"^\f?{re.escape(heading)}$", text, re.M).start()
    return text[start:start + re.search(rf"^\f?{re.escape(until)}", text[start + 1:], re.M).start()]


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info)[1])


def test_the_demo_report_has_the_reuse_chapter_with_houses_in_every_class(out):
    text = _text(out / "空き家調査報告書_1.pdf")
    chapter = _section(text, "利活用判定", "所有者意向調査")
    counts = dict(re.findall(r"^ (そのまま活用可能|修繕により活用可能|除却が望ましい|判定不能) (\d+)$", chapter, re.M))
    assert set(counts) == {"そのまま活用可能", "修繕により活用可能", "除却が望ましい", "判定不能"}
    assert all(int(n) > 0 for n in counts.values())
    assert "前面道路の幅員が4m未満" in chapter  # a narrow road among the reasons
    assert "接道（前面道路の幅員）：接道なし・不明" in chapter  # an unknown road leaves the class open
    assert "台帳の「1981」では新耐震基準" in chapter  # the ledger year straddling 1981-06-01
    assert "第1版の調査票には利活用判定の項目" in chapter  # older forms say why they are not judged


def test_the_owners_intentions_are_cross_tabulated_with_reuse_and_with_the_statutory_verdict(out):
    text = _text(out / "空き家調査報告書_1.pdf")
    chapter = _section(text, "所有者意向調査", "調査物件一覧（優先度の順）")
    assert "利活用判定（外観からの目安）と今後の意向" in chapter
    by_verdict = chapter[chapter.index("不良度（住宅地区改良法施行規則 別表第1）と今後の意向"):]
    rows = {label: [int(n) for n in counts.split()] for label, counts in
            re.findall(r"^ (不良住宅（不良度100以上）|判定不能|不良住宅に当たらない（不良度100未満）|"
                       r"算定なし（第1版の調査票による）|調査結果なし（未調査・未承認）)((?: \d+){7})$", by_verdict, re.M)}
    assert set(rows) >= {"不良住宅（不良度100以上）", "不良住宅に当たらない（不良度100未満）"}
    assert sum(counts[-1] for counts in rows.values()) == 8  # every answer once: 8 answers in the demo
    assert all(sum(counts[:-1]) == counts[-1] for counts in rows.values())


def test_the_flow_page_never_starts_a_line_with_a_closing_mark(out):
    text = _text(out / "空き家調査報告書_1.pdf")
    flow = _section(text, "判定フロー", "集計")
    assert "候補（調査対象）" in flow and "所有者意向調査" in flow
    assert not re.search(r"^\s*[。、・）」]", flow, re.M)


def test_the_command_writes_the_shapefile_for_the_towns_gis(out):
    folder = out / GIS
    for ext in ("shp", "shx", "dbf", "prj", "cpg"):
        assert (folder / f"akiya_survey_1.{ext}").stat().st_size > 0, ext
    assert (folder / "akiya_survey_1.cpg").read_text() == "CP932"
    assert 'GEOGCS["GCS_JGD_2011"' in (folder / "akiya_survey_1.prj").read_text()
    reader = shapefile.Reader(str(folder / "akiya_survey_1"), encoding="cp932")
    names = [f[0] for f in reader.fields[1:]]
    assert "活用可能性" in names and "不良度判定" in names
    assert len(reader) == 21 and {r["活用可能性"] for r in reader.records()} >= {"そのまま活用可能", "除却が望ましい"}
    assert (out / f"{GIS}.zip").stat().st_size > 0  # and zipped, as the office pages give it
    assert "属性名" in (folder / "属性名一覧.csv").read_text(encoding="utf-8-sig")


def test_the_command_writes_the_karte_one_page_per_house_with_its_reuse_class(out):
    karte = out / "空き家カルテ_1.pdf"
    assert _pages(karte) == 21
    text = _text(karte)
    assert text.count("空き家カルテ No.") == 21
    assert "そのまま活用可能" in text and "除却が望ましい" in text


def test_v2_ranks_count_as_the_contracts_v3_ranks_and_only_v1_ranks_carry_their_form(out):
    """v3 adds only unscored items (接道・敷地) to v2: its A is v2's A, so the summary has one column for both."""
    summary = _section(_text(out / "空き家調査報告書_1.pdf"), "集計", "大字・町丁目別の件数")
    assert "（第1版）" in summary and "（第2版）" not in summary


def test_each_house_sheet_is_one_page_with_its_photos(out):
    """A sheet with many findings and the v3 items runs a little over a page: it is shrunk onto one."""
    raw = subprocess.run(["pdftotext", str(out / "空き家調査報告書_1.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = raw.split("\f")
    first = next(n for n, page in enumerate(pages) if page.lstrip().startswith("No.0"))
    last = next(n for n, page in enumerate(pages) if page.lstrip().startswith("付録"))
    sheets = pages[first:last]
    assert [page.lstrip()[:3] for page in sheets] == ["No."] * len(sheets)  # no page of photos alone
    assert len(sheets) == len({re.match(r"No\.(\d{4})", page.lstrip())[1] for page in sheets}) == 21
    assert all("全景" in page for page in sheets)  # the photo captions are on the sheet's own page
