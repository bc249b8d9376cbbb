"""Field app budgets, measured in headless Chromium on this machine. Prints figures; asserts nothing.

- app shell: every precached file gzipped, summed (budget 150 KB)
- shrinking sample_photos/original_12mp.jpg (4000 x 3000) with the app's photo-shrink.js (budget 0.5 s)
- saving a watch visit with 8 photos while offline, click to the list showing the next house (budget 1.5 s)

- phone budget, Chromium with CPU x4 slowdown and DevTools' "Slow 3G" network (2,000 ms latency,
  400 kbit/s each way) set through CDP:
  - warm start: reload of a signed-in app (shell from the service worker) to the first task card
    in the DOM (budget 2 s)
  - upload bytes of one watch visit with 8 photos: request line and headers of the push and photo
    requests as the page sent them, the push body, and the photo bodies as the server stored them
    (Playwright does not expose Blob bodies) (budget 2 MB)
  - a day of 30 such visits at 750 kbit/s uplink, computed from the measured bytes and requests:
    30 x (bytes x 8 / 750,000 + requests x 0.3 s round trip) (budget 10 min)

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

from server.http.field_app import FIELD_APP_DIR, precached_files  # noqa: E402
from tests.browser.carrier import ALL_FINE_WATCH, WATCH_PHOTOS, Carrier  # noqa: E402
from tests.browser.live_server import PHONE, SAMPLE_PHOTOS, launch_chromium, start_server  # noqa: E402

SHRINK_RUNS = 7
SAVE_RUNS = 3
START_RUNS = 3
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
DAY_VISITS, UPLINK_BPS, ROUND_TRIP_S = 30, 750_000, 0.3
FIRST_CARD = """new MutationObserver((_, observer) => {
    if (document.querySelector("a.card[data-task]")) { window.__cardAt = performance.now(); observer.disconnect(); }
}).observe(document, { childList: true, subtree: true });"""


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


def slow_phone(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return cdp


def warm_starts(browser, server) -> list[float]:
    phone = browser.new_context(**PHONE)
    phone.add_init_script(FIRST_CARD)
    carrier = Carrier(phone.new_page(), server.app_url)
    carrier.sign_in()
    carrier.wait_until_offline_capable()
    carrier.page.reload()  # warm: shell and data already on the phone
    slow_phone(carrier.page)
    times = []
    for _ in range(START_RUNS):
        carrier.page.reload(wait_until="commit")
        carrier.page.wait_for_function("window.__cardAt !== undefined", timeout=60000)
        times.append(carrier.page.evaluate("window.__cardAt") / 1000)
    phone.close()
    return times


def visit_upload(browser, server, task_id: str) -> tuple[int, int]:
    """(bytes, requests) of the push and photo uploads of one watch visit with 8 photos, on a slow phone."""
    phone = browser.new_context(**PHONE)
    carrier = Carrier(phone.new_page(), server.app_url)
    carrier.sign_in()
    sent = []

    def count(request):
        if request.method in ("POST", "PUT") and ("/api/v1/sync/push" in request.url or "/api/v1/photos/" in request.url):
            head = len(f"{request.method} {request.url} HTTP/1.1\r\n") + sum(
                len(h["name"]) + len(h["value"]) + 4 for h in request.headers_array())
            sent.append((head, request.post_data_buffer))
    carrier.page.on("request", count)
    slow_phone(carrier.page)
    carrier.open_task(task_id)
    carrier.page.click("[data-action='all-normal']")
    carrier.take_photos({**WATCH_PHOTOS, "exterior_south": "p09_front.jpg", "requested_spot": "p14_requested_spot.jpg"})
    carrier.save()
    carrier.page.locator(".record").first.wait_for(state="attached")
    carrier.page.wait_for_function("document.querySelector('.record')?.dataset.state === 'sent'", timeout=300000)
    phone.close()
    # Playwright does not expose Blob bodies (the photo PUTs): their bytes are what the server stored.
    photo_bytes = server.rows("SELECT sum(p.bytes) FROM photos p JOIN inspections i ON i.id = p.inspection_id "
                              "WHERE i.task_id = ?", task_id)[0][0]
    return sum(head + len(body or b"") for head, body in sent) + photo_bytes, len(sent)


def main() -> None:
    count, raw, zipped = shell_size()
    print(f"app shell: {count} files, {raw / 1024:.1f} KB raw, {zipped / 1024:.1f} KB gzipped (budget 150 KB)")
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        tasks = [server.add_task("watched", kind="watch", rubric_id="watch_basic", rubric_version=1,
                                 options=["airing"], due_date=f"2099-01-{n + 1:02d}") for n in range(SAVE_RUNS)]
        budget_task = server.add_task("surveyed", kind="watch", rubric_id="watch_basic", rubric_version=1,
                                      due_date="2099-02-01")
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                phone_budget(server, browser, budget_task)
                measure(server, browser, tasks)
        finally:
            server.stop()


def phone_budget(server, browser, task_id: str) -> None:
    starts = warm_starts(browser, server)
    print(f"warm start to task list (CPU x4, Slow 3G): median {statistics.median(starts):.2f} s, "
          f"max {max(starts):.2f} s over {len(starts)} runs (budget 2 s)")
    sent, requests = visit_upload(browser, server, task_id)
    print(f"upload of a watch visit with 8 photos: {sent / 1024 / 1024:.2f} MB in {requests} requests (budget 2 MB)")
    day = DAY_VISITS * (sent * 8 / UPLINK_BPS + requests * ROUND_TRIP_S)
    print(f"a day of {DAY_VISITS} visits at {UPLINK_BPS // 1000} kbit/s uplink: {day / 60:.1f} min "
          f"= {DAY_VISITS} x ({sent:,} B x 8 / {UPLINK_BPS:,} bit/s + {requests} x {ROUND_TRIP_S} s) (budget 10 min)")


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
