"""Where a test run's wall time goes: with AKIYA_TEST_TIMELINE=FILE each pytest process appends one
JSON line per test (worker, test id, xdist group, start and end, monotonic seconds) to FILE, and
`python -m tests.support.timeline FILE` prints each worker's busy time, when it went idle, and the
largest groups, so the balance of `make test -n 2` can be read instead of guessed."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict


def record(item, started: float, ended: float) -> None:
    path = os.environ.get("AKIYA_TEST_TIMELINE")
    if not path:
        return
    group = item.get_closest_marker("xdist_group")
    line = {"worker": os.environ.get("PYTEST_XDIST_WORKER", "main"), "test": item.nodeid,
            "group": group.args[0] if group else None, "start": started, "end": ended}
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
        lines.append(f"{worker}: {len(mine)} tests, busy {busy / 60:.1f} min, last test ended at {last / 60:.1f} min")
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
