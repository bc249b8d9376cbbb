"""Chaos sync, full size: devices push surveys with photos through a faulty proxy (drops, cut
answers, delays) while the real server is SIGKILLed and restarted; then every record is checked.

Run: .venv/bin/python bench/chaos.py [--devices 20 --inspections 50 --kills 10]
Exit status 1 when the server does not hold exactly what the devices were told it holds.
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.chaos import run_chaos  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=20)
    ap.add_argument("--inspections", type=int, default=50, help="per device, 3 photos each")
    ap.add_argument("--kills", type=int, default=10, help="SIGKILLs of the server during the run")
    ap.add_argument("--fault-rate", type=float, default=0.2, help="share of requests the proxy disturbs")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="akiya-chaos-") as work:
        report = run_chaos(Path(work), args.devices, args.inspections, args.kills, seed=args.seed,
                           fault_rate=args.fault_rate)
    print("\n".join(report.lines()))
    problems = report.problems()
    for problem in problems:
        print("PROBLEM:", problem)
    print("OK: the server holds exactly what the devices were told" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
