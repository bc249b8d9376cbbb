"""Where a test run's wall time goes: with AKIYA_TEST_TIMELINE=FILE each pytest process appends one
JSON line per test (worker, test id, xdist group, start and end, monotonic seconds) to FILE, and
`python -m tests.support.timeline FILE` prints each worker's busy time, when it went idle, and the
largest groups, so the balance of `make test -n 2` can be read instead of guessed."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict


def cpu_seconds() -> float:
    """CPU this process and its ended children (servers stopped, tools run) have used so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def record(item, started: float, ended: float, cpu: float) -> None:
    path = os.environ.get("AKIYA_TEST_TIMELINE")
    if not path:
        return
    group = item.get_closest_marker("xdist_group")
    line = {"worker": os.environ.get("PYTEST_XDIST_WORKER", "main"), "test": item.nodeid,
            "group": group.args[0] if group else None, "start": started, "end": ended, "cpu": cpu}
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")


def summary(path: str) -> list[str]:
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    origin = min(r["start"] for r in rows)
    lines = []
    for worker in sorted({r["worker"] for r in rows}):
        mine = [r for r in rows if r["worker"] == worker]
        busy = sum(r["end"] - r["start"] for r in mine)
        last = max(r["end"] for r in mine) - origin
        cpu = sum(r.get("cpu", 0) for r in mine)
        lines.append(f"{worker}: {len(mine)} tests, busy {busy / 60:.1f} min (CPU {cpu / 60:.1f} min), "
                     f"last test ended at {last / 60:.1f} min")
    wall = max(r["end"] for r in rows) - origin
    lines.append(f"run: {wall / 60:.1f} min; tests' CPU (own and ended children) {sum(r.get('cpu', 0) for r in rows) / wall:.2f} cores on average")
    groups: dict[str, float] = defaultdict(float)
    folders: dict[str, float] = defaultdict(float)
    for r in rows:
        groups[r["group"] or "(spread)"] += r["end"] - r["start"]
        folders[r["test"].split("/")[1]] += r["end"] - r["start"]
    lines.append("groups: " + ", ".join(f"{g} {s / 60:.1f} min" for g, s in sorted(groups.items(), key=lambda x: -x[1])[:12]))
    lines.append("folders: " + ", ".join(f"{g} {s / 60:.1f} min" for g, s in sorted(folders.items(), key=lambda x: -x[1])))
    return lines


if __name__ == "__main__":
    print("\n".join(summary(sys.argv[1])))
