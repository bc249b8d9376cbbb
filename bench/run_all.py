"""Every benchmark in one command, one table (Markdown, ready for the README).

Run: .venv/bin/python bench/run_all.py   (or `make bench`)
Sync push throughput (bench/sync_push.py), photo ingest (bench/photo_ingest.py), reports
(bench/reports.py --quick) and a simulated national month at a small scale (bench/national_month.py
--scale 0.002: 200 visits, a sweep over 100 houses, 200 owner PDFs), with the machine and the date
they were measured on.
"""

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.sync_push import bench as push_bench  # noqa: E402

NATIONAL_MONTH_SCALE = "0.002"  # 1.0 is issue 15's month; small so that `make bench` stays within minutes


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    return (f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.2f} at start, {datetime.date.today().isoformat()}")


def script_lines(*args: str) -> list[str]:
    """The figures a benchmark script prints, one per line ('load average' lines left out)."""
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode != 0:
        return [f"FAILED (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}"]
    return [line.strip() for line in done.stdout.splitlines() if line.strip() and "load average" not in line]


def rows() -> list[tuple[str, str]]:
    found = []
    *modes, memory = push_bench()
    for f in modes:
        verdict = "meets" if f["per_second"] >= f["target"] else "misses"
        found.append(("sync push", f"batch {f['batch']}, {f['clients']} clients: {f['per_second']:,.0f} inspections/s "
                                   f"({f['requests_per_second']:,.0f} req/s; target ≥ {f['target']:,}/s, {verdict}); "
                                   f"server CPU {f['server_cpu_ms_per_inspection']:.2f} ms/inspection"))
    found.append(("sync push", f"server peak RSS {memory['server_peak_rss_mb']:.0f} MB"))
    found += [("photo ingest", line) for line in script_lines(str(HERE / "photo_ingest.py"))]
    found += [("reports", line) for line in script_lines(str(HERE / "reports.py"), "--quick")]
    found += [("national month", line) for line in script_lines(str(HERE / "national_month.py"), "--scale",
                                                                   NATIONAL_MONTH_SCALE)]
    return found


def main() -> None:
    print(f"Measured on {machine()}\n")
    print("| benchmark | figure |\n|---|---|")
    for area, figure in rows():
        print(f"| {area} | {figure.replace('|', '/')} |")


if __name__ == "__main__":
    main()
