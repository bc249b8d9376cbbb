"""First paint of /app/ on a phone, measured in headless Chromium. Prints figures; asserts nothing.

Lighthouse is not installable here, so its mobile profile is set by hand through CDP: CPU x4
slowdown (Emulation.setCPUThrottlingRate), 150 ms round trip and 1.6 Mbit/s down, 750 kbit/s up
(Network.emulateNetworkConditions). Each run is a cold start (a fresh browser context: no HTTP
cache, no service worker), like Lighthouse's. LCP is read with a PerformanceObserver
('largest-contentful-paint'); also printed: the requests and the bytes on the wire up to the load
event, and a warm start (the same context again: HTTP cache and service worker in place).

Run: .venv/bin/python bench/first_paint.py [runs]   (budget: LCP <= 1.5 s)
"""

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.live_server import PHONE, launch_chromium, start_server  # noqa: E402

MOBILE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
LCP = """window.__lcp = null;
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
  .observe({ type: "largest-contentful-paint", buffered: true });"""


def one_start(context, url: str) -> dict:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", MOBILE)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    wire = {"bytes": 0, "requests": 0}

    def finished(event):
        wire["bytes"] += event["encodedDataLength"]
        wire["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    page.add_init_script(LCP)
    page.goto(url, wait_until="load")
    page.wait_for_selector("#login, .tasks h1")  # the first screen is drawn
    page.wait_for_timeout(1500)  # later, larger paints still count
    lcp = page.evaluate("window.__lcp")
    page.close()
    return {"lcp": lcp, **wire}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                cold, warm = [], []
                for _ in range(runs):
                    context = browser.new_context(**{**PHONE, "viewport": {"width": 390, "height": 844}})
                    cold.append(one_start(context, server.app_url))
                    warm.append(one_start(context, server.app_url))
                    context.close()
                browser.close()
        finally:
            server.stop()
    for name, starts in (("cold", cold), ("warm", warm)):
        lcps = [s["lcp"] for s in starts if s["lcp"] is not None]
        print(f"{name} start: LCP median {statistics.median(lcps):.0f} ms (runs: {', '.join(f'{v:.0f}' for v in lcps)}),"
              f" {starts[0]['requests']} requests, {starts[0]['bytes'] / 1024:.1f} KB on the wire")


if __name__ == "__main__":
    main()
