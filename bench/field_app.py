"""Field app budgets, measured in headless Chromium on this machine. Prints figures; asserts nothing.

- app shell: every precached file gzipped, summed (budget 150 KB)
- shrinking sample_photos/original_12mp.jpg (4000 x 3000) with the app's photo-shrink.js (budget 0.5 s)
- saving a watch visit with 8 photos while offline, click to the list showing the next house (budget 1.5 s)

Run: .venv/bin/python bench/field_app.py
"""

import base64
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from server.field_app import FIELD_APP_DIR, precached_files  # noqa: E402
from tests.browser.carrier import ALL_FINE_WATCH, WATCH_PHOTOS, Carrier  # noqa: E402
from tests.browser.live_server import PHONE, SAMPLE_PHOTOS, launch_chromium, start_server  # noqa: E402

SHRINK_RUNS = 7
SAVE_RUNS = 3


def shell_size() -> tuple[int, int, int]:
    raw = zipped = 0
    files = precached_files()
    for name in files:
        data = (FIELD_APP_DIR / ("index.html" if name == "./" else name)).read_bytes()
        raw += len(data)
        zipped += len(gzip.compress(data, 9))
    return len(files), raw, zipped


def shrink_times(page) -> list[dict]:
    data = base64.b64encode((SAMPLE_PHOTOS / "original_12mp.jpg").read_bytes()).decode()
    return page.evaluate("""async (data) => {
        const { shrinkPhoto } = await import("./js/photo-shrink.js");
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const file = new File([bytes], "original_12mp.jpg", { type: "image/jpeg" });
        const runs = [];
        for (let i = 0; i < %d; i += 1) {
            const start = performance.now();
            const out = await shrinkPhoto(file);
            runs.push({ ms: performance.now() - start, width: out.width, height: out.height, bytes: out.bytes });
        }
        return runs;
    }""" % SHRINK_RUNS, data)


def save_time(carrier: Carrier, phone, task_id: str) -> float:
    phone.set_offline(False)
    carrier.open_task(task_id)
    carrier.answer_all(ALL_FINE_WATCH)
    carrier.choose("airing_done", "いいえ")
    carrier.type_text("airing_skipped_reason", "雨天のため")
    carrier.take_photos({**WATCH_PHOTOS, "exterior_south": "p09_front.jpg", "requested_spot": "p14_requested_spot.jpg"})
    phone.set_offline(True)
    return carrier.page.evaluate("""() => new Promise((resolve) => {
        const start = performance.now();
        const observer = new MutationObserver(() => {
            if (document.querySelector("section.tasks .saved")) { observer.disconnect(); resolve(performance.now() - start); }
        });
        observer.observe(document.getElementById("view"), { childList: true, subtree: true });
        [...document.querySelectorAll("button")].find((b) => b.textContent === "保存する").click();
    })""")


def main() -> None:
    count, raw, zipped = shell_size()
    print(f"app shell: {count} files, {raw / 1024:.1f} KB raw, {zipped / 1024:.1f} KB gzipped (budget 150 KB)")
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        tasks = [server.add_task("watched", kind="watch", rubric_id="watch_basic", rubric_version=1,
                                 options=["airing"], due_date=f"2099-01-{n + 1:02d}") for n in range(SAVE_RUNS)]
        try:
            with sync_playwright() as playwright:
                measure(server, launch_chromium(playwright), tasks)
        finally:
            server.stop()


def measure(server, browser, tasks: list[str]) -> None:
    try:
        phone = browser.new_context(**PHONE)
        carrier = Carrier(phone.new_page(), server.app_url)
        carrier.sign_in()
        runs = shrink_times(carrier.page)
        times = [r["ms"] / 1000 for r in runs]
        last = runs[-1]
        print(f"shrink 12 MP JPEG: median {statistics.median(times):.3f} s, first {times[0]:.3f} s, "
              f"max {max(times):.3f} s over {len(times)} runs -> {last['width']}x{last['height']}, "
              f"{last['bytes'] / 1024:.0f} KB (budget 0.5 s)")
        saves = [save_time(carrier, phone, task_id) / 1000 for task_id in tasks]
        print(f"save with 8 photos offline: median {statistics.median(saves):.3f} s, max {max(saves):.3f} s "
              f"over {len(saves)} runs (budget 1.5 s)")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
