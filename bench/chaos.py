"""Chaos sync, full size: devices push surveys with photos through a faulty proxy (drops, cut
answers, delays) while the real server is SIGKILLed and restarted; then every record is checked.

Run: .venv/bin/python bench/chaos.py [--devices 20 --inspections 50 --kills 10]
     .venv/bin/python bench/chaos.py --processes 2 --postgres --s3
       two server processes on one PostgreSQL database (made here, dropped after) and the photos in
       S3 (`rclone serve s3` started here), each SIGKILL hitting one of them while the other serves.
Exit status 1 when the server does not hold exactly what the devices were told it holds.
"""

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.chaos import run_chaos  # noqa: E402
from tests.support.backends import Backend, postgres_database, rclone_s3  # noqa: E402


@contextlib.contextmanager
def backend_for(args, work: Path):
    """SQLite or a PostgreSQL database of this run's own; the photos in the data folder or in S3."""
    with contextlib.ExitStack() as stack:
        db = stack.enter_context(postgres_database("chaos")) if args.postgres else work / "akiya.sqlite3"
        if not args.s3:
            yield Backend("postgres" if args.postgres else "sqlite", db, work / "data")
            return
        s3 = stack.enter_context(rclone_s3(work / "s3"))
        os.environ.update(s3.environ())  # the run reads the stored photos back through the same store
        yield Backend("postgres" if args.postgres else "sqlite", db, work / "data", s3.url("chaos"),
                      {**s3.environ(), "AKIYA_STORAGE_URL": s3.url("chaos")})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=20)
    ap.add_argument("--inspections", type=int, default=50, help="per device, 3 photos each")
    ap.add_argument("--kills", type=int, default=10, help="SIGKILLs of a server process during the run")
    ap.add_argument("--fault-rate", type=float, default=0.2, help="share of requests the proxy disturbs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--processes", type=int, default=1, help="server processes sharing the database and photos")
    ap.add_argument("--postgres", action="store_true", help="a PostgreSQL database (AKIYA_TEST_PG's server) "
                    "made for this run and dropped after, instead of a SQLite file")
    ap.add_argument("--s3", action="store_true", help="photos in S3 (rclone serve s3 started for this run); "
                    "each process then has a data folder of its own")
    args = ap.parse_args()
    if args.processes < 1:
        ap.error("--processes: at least 1")
    with tempfile.TemporaryDirectory(prefix="akiya-chaos-") as work, backend_for(args, Path(work)) as backend:
        print(f"backend: {'PostgreSQL' if args.postgres else 'SQLite'}, photos in "
              f"{'S3 (rclone serve s3)' if args.s3 else 'the data folder'}, {args.processes} server process(es)")
        report = run_chaos(Path(work), args.devices, args.inspections, args.kills, seed=args.seed,
                           fault_rate=args.fault_rate, backend=backend, processes=args.processes)
    print("\n".join(report.lines()))
    problems = report.problems()
    for problem in problems:
        print("PROBLEM:", problem)
    print("OK: the server holds exactly what the devices were told" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
