"""Every benchmark in one command, one table (Markdown, ready for the README).

Run: .venv/bin/python bench/run_all.py   (or `make bench`)
Sync push throughput on SQLite (1 process) and PostgreSQL (1 process, `serve --workers 2`), alternated twice
(bench/sync_push.py --rounds 2), the raw insert ceiling of each engine (bench/insert_ceiling.py), the push
per shipped survey form with inspections/s and answered items/s beside SQLite's ceiling (bench/push_forms.py),
photo ingest (bench/photo_ingest.py), a photo upload into S3
against the data folder (bench/photo_storage.py), reports (bench/reports.py --quick), the survey report's pages
and MB per 1,000 houses with real v2 sheets and three photos each (bench/survey_size.py --houses 20 40) and a simulated
national month at a small scale, on SQLite with the data folder and on PostgreSQL with S3, one after
the other (bench/national_month.py --scale 0.002: 200 visits, a sweep over 100 houses, 200 owner
PDFs; docs/national-scale-figures.md has runs at 0.01), with the machine, its load and the date
they were measured on. PostgreSQL: the server at
AKIYA_TEST_PG or 127.0.0.1:5432 (`make postgres`); every run makes its own database and drops it.
On a 2-core machine the clients, the servers and PostgreSQL share the same cores: see the CPU
figures per inspection, which the load of other processes moves far less than the rates (up to
about ×2 at load 7).
"""

import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.sync_push import SETUPS, line as push_line, side_by_side  # noqa: E402

NATIONAL_MONTH_SCALE = "0.002"  # 1.0 is issue 15's month; small so that `make bench` stays within minutes
PUSH_ROUNDS = 2


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
    found = [("sync push", push_line(f)) for f in side_by_side(list(SETUPS), PUSH_ROUNDS, clients=16, requests=30,
                                                                batches=3)]
    found += [("insert ceiling", line) for line in script_lines(str(HERE / "insert_ceiling.py"))]
    found += [("push per form", line) for line in script_lines(str(HERE / "push_forms.py"), "--rounds", str(PUSH_ROUNDS))]
    found += [("photo ingest", line) for line in script_lines(str(HERE / "photo_ingest.py"))]
    found += [("photo into storage", line) for line in script_lines(str(HERE / "photo_storage.py"))]
    found += [("reports", line) for line in script_lines(str(HERE / "reports.py"), "--quick")]
    found += [("survey report size", line) for line in script_lines(str(HERE / "survey_size.py"), "--houses", "20", "40")]
    for label, backend in (("SQLite + data folder", []), ("PostgreSQL + S3", ["--db", "postgresql", "--s3"])):
        found += [(f"national month, {label}", line)
                  for line in script_lines(str(HERE / "national_month.py"), "--scale", NATIONAL_MONTH_SCALE, *backend)]
    return found


def main() -> None:
    print(f"Measured on {machine()}\n")
    started = time.perf_counter()
    print("| benchmark | figure |\n|---|---|")
    for area, figure in rows():
        print(f"| {area} | {figure.replace('|', '/')} |")
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}; {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
