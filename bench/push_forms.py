"""Push throughput per shipped survey form on SQLite, beside SQLite's raw insert ceiling in the same run.

Run: .venv/bin/python bench/push_forms.py [--clients 16 --batches 4 --per-batch 50 --rounds 2]

For each survey form (municipal_survey v1: 22 items, v2: 42 items with the statutory ranges), a
fresh SQLite database and one `akiya serve`; each of 16 clients reports a house of its own, then
pushes batches of `per-batch` surveys of it (every visible required item answered, the required
photo slots declared) over one keep-alive connection. Printed: inspections/s, answered items/s and
the server's CPU per inspection (which the load of other processes moves far less than the rates).
The forms alternate `rounds` times (v1, v2, v1, v2 …) so that the load of other processes on a
shared machine hits them alike; the median run is shown with every run's rate.

The ceiling (bench/insert_ceiling.py): the same number of rows, as wide as the v2 form's inspection
rows, inserted into a bare table, one `executemany` per batch in one transaction: what SQLite alone
allows on this machine now, with no HTTP, validation, scoring, change log or audit.

Watch and post-disaster forms are left out: an inspection of them needs a task of its own, so a
run of thousands needs thousands of tasks made first (not done here).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cpu import tree_cpu_seconds  # noqa: E402
from bench.insert_ceiling import sqlite_ceiling  # noqa: E402
from bench.sync_push import run_mode  # noqa: E402
from server.rubrics import RubricRegistry  # noqa: E402
from server.core.settings import Settings  # noqa: E402
from tests.reliability.records import build_world_with_carriers  # noqa: E402
from tests.support.answers import minimal_answers, required_slots  # noqa: E402
from tests.support.field import Visit  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402

FORMS = (("municipal_survey", 1), ("municipal_survey", 2))
RUBRICS = RubricRegistry.load_dir(Settings().rubrics_dir)


def inspection_for(property_id: str, rubric_id: str, version: int) -> dict:
    rubric = RUBRICS.get(rubric_id, version)
    inspection = copy.deepcopy(Visit(property_id=property_id, rubric_id=rubric_id, slots=[]).inspection)
    inspection.update(rubric_version=version, answers=minimal_answers(rubric),
                      photos=[{"id": "", "slot": slot, "sha256": "0" * 64} for slot in required_slots(rubric)])
    return inspection


def batch_body(template: dict, count: int, device: str) -> bytes:
    ops = []
    for _ in range(count):
        inspection = {**template, "id": str(uuid.uuid4()),
                      "photos": [{**p, "id": str(uuid.uuid4())} for p in template["photos"]]}
        ops.append({"op_id": str(uuid.uuid4()), "type": "inspection.submit", "inspection": inspection})
    return json.dumps({"device_id": device, "ops": ops}).encode()


def push_run(rubric_id: str, version: int, clients: int, batches: int, per_batch: int, code: str | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="akiya-forms-") as work:
        work = Path(work)
        db = str(work / "akiya.sqlite3")
        logins = build_world_with_carriers(db, clients)
        env = {"PYTHONPATH": code} if code else {}  # another checkout's server/ first on the path (A/B)
        with LiveServer(db, work / "data", log=work / "serve.log", env=env) as server:
            tokens, plans, answered = [], [], 0
            for n, login in enumerate(logins):
                api = server.session(login)
                house = {"id": str(uuid.uuid4()), "lat": 35.689, "lon": 139.742, "address_text": f"東京都千代田区一番町{n}",
                         "notes": ""}
                assert api.push([{"op_id": str(uuid.uuid4()), "type": "property.report", "property": house}])[0]["status"] \
                    == "applied"
                template = inspection_for(house["id"], rubric_id, version)
                answered = len(template["answers"])
                tokens.append(api.token)
                plans.append([batch_body(template, per_batch, f"forms-{n}") for _ in range(batches)])
            cpu = tree_cpu_seconds(server.pid)
            done, seconds = asyncio.run(run_mode([server.port], tokens, plans))
            cpu = tree_cpu_seconds(server.pid) - cpu
    return {"form": f"{rubric_id} v{version}", "items": len(RUBRICS.get(rubric_id, version).all_items()),
            "answered": answered, "inspections": done, "per_second": done / seconds,
            "items_per_second": done * answered / seconds, "cpu_ms": cpu * 1000 / done, "load": os.getloadavg()[0]}


def figures(clients: int = 16, batches: int = 4, per_batch: int = 50, rounds: int = 2,
            against: str | None = None) -> list[str]:
    """The figures as lines; with `against` (a folder holding another checkout), each form is also run
    on that code's server, alternating with this one's, and labelled "(other code)"."""
    runs: dict[str, list[dict]] = {}
    for _ in range(rounds):
        for rubric_id, version in FORMS:
            for code, tag in ((None, ""), (against, " (other code)")) if against else ((None, ""),):
                found = push_run(rubric_id, version, clients, batches, per_batch, code)
                runs.setdefault(found["form"] + tag, []).append({**found, "form": found["form"] + tag})
    ceiling = sqlite_ceiling(clients * batches * per_batch, clients * per_batch)
    lines = []
    for form, these in runs.items():
        rates = [f["per_second"] for f in these]
        middle = min(these, key=lambda f: abs(f["per_second"] - statistics.median(rates)))
        lines.append(f"push {form} ({middle['items']} items, {middle['answered']} answered), SQLite, 1 process, "
                     f"{clients} clients × {per_batch} per batch: {middle['per_second']:,.0f} inspections/s "
                     f"(runs: {', '.join(f'{r:,.0f}' for r in rates)}), {middle['items_per_second']:,.0f} answered items/s; "
                     f"server CPU per inspection {statistics.median(f['cpu_ms'] for f in these):.2f} ms "
                     f"(= {1000 / statistics.median(f['cpu_ms'] for f in these):,.0f} inspections per CPU-second); "
                     f"load average {middle['load']:.1f}")
    lines.append(f"SQLite raw insert ceiling (rows as wide as a v2 inspection, {clients * per_batch} per transaction, "
                 f"no HTTP, no checks): {ceiling:,.0f} rows/s")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--batches", type=int, default=4, help="batched pushes per client")
    ap.add_argument("--per-batch", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--against", help="folder of another checkout (e.g. `git archive main | tar -x -C DIR`): "
                                      "its server runs alternately with this one's, for a ratio on a busy machine")
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (shared machine)")
    for line in figures(args.clients, args.batches, args.per_batch, args.rounds, args.against):
        print(line)


if __name__ == "__main__":
    main()
