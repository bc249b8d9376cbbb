"""Push throughput against real server processes on loopback: 16 concurrent clients (keep-alive),
batch 1 and batch 100, on SQLite (1 process) and PostgreSQL (1 and 2 processes), side by side.

Run: .venv/bin/python bench/sync_push.py [--clients 16 --requests 30 --batches 3 --rounds 1
                                          --setups sqlite,postgresql,postgresql×2]

Each setup is one run: a fresh database (SQLite: a new file; PostgreSQL: a database created on
AKIYA_TEST_PG or 127.0.0.1:5432, migrated by the server's start, dropped after), its server
processes (`akiya serve`, on their own ports; the clients are split across them), then single-op
and batched pushes. With --rounds N the setups alternate N times (sqlite, pg, pg×2, sqlite, …) so
that load from other processes on a shared machine hits them alike; the median is reported.
Targets (issue 15, 16 clients): ≥ 2,000 inspections/s batched; ≥ 400/s single-op (SQLite's own
earlier target: 500/s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cpu import PostgresCpu, tree_cpu_seconds, tree_peak_rss_mb  # noqa: E402
from tests.reliability.records import build_world_with_carriers, survey_records  # noqa: E402
from tests.support.live_server import HOST, LiveServer  # noqa: E402

TARGETS = {("sqlite", 1): 500, ("postgresql", 1): 400, ("sqlite", 100): 2000, ("postgresql", 100): 2000}
SETUPS = {"sqlite": ("sqlite", 1), "postgresql": ("postgresql", 1), "postgresql×2": ("postgresql", 2)}
# N processes: `akiya serve --workers N` (AKIYA_WORKERS) on one port, or with ports=True N servers on
# N ports with the clients split across them.


def ops_for(template: dict, count: int) -> list[dict]:
    """`count` inspections of the carrier's reported house, each with fresh ids (1 declared photo)."""
    ops = []
    for _ in range(count):
        inspection = copy.deepcopy(template)
        inspection["id"] = str(uuid.uuid4())
        inspection["photos"] = [{**inspection["photos"][0], "id": str(uuid.uuid4())}]
        ops.append({"op_id": str(uuid.uuid4()), "type": "inspection.submit", "inspection": inspection})
    return ops


class KeepAlive:
    """One HTTP/1.1 keep-alive connection: the client side costs little next to the server."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        return self

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        self.writer.write(f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {self.token}\r\n"
                          f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(int(l.split(":", 1)[1]) for l in lines if l.lower().startswith("content-length:"))
        return status, await self.reader.readexactly(length)

    def close(self):
        self.writer.close()


async def client(port: int, token: str, bodies: list[bytes], applied: list[int]) -> None:
    conn = await KeepAlive(port, token).open()
    try:
        for body in bodies:
            status, answer = await conn.post("/api/v1/sync/push", body)
            results = json.loads(answer)["results"]
            assert status == 200 and all(r["status"] == "applied" for r in results), answer[:300]
            applied.append(len(results))
    finally:
        conn.close()


async def run_mode(ports: list[int], tokens: list[str], plans: list[list[bytes]]) -> tuple[int, float]:
    """Client n talks to ports[n % len(ports)]; (inspections applied, seconds)."""
    applied: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(*(client(ports[n % len(ports)], t, p, applied)
                           for n, (t, p) in enumerate(zip(tokens, plans))))
    return sum(applied), time.perf_counter() - started


@contextlib.contextmanager
def fresh_database(backend: str, work: Path):
    """AKIYA_DB for one run: a new SQLite file, or a new PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        yield str(work / "akiya.sqlite3")
        return
    from tests.support.backends import postgres_database

    with postgres_database("bench") as url:
        yield url


def bench(clients: int = 16, requests: int = 60, batches: int = 6, backend: str = "sqlite",
          processes: int = 1, ports: bool = False) -> list[dict]:
    """Figures per batch size (inspections applied, seconds, inspections/s, requests/s, CPU per
    inspection of the servers, of PostgreSQL and of the clients), then the servers' peak memory."""
    with tempfile.TemporaryDirectory(prefix="akiya-push-") as work, fresh_database(backend, Path(work)) as db:
        work = Path(work)
        logins = build_world_with_carriers(db, clients)
        with contextlib.ExitStack() as stack:
            if ports or processes == 1:
                servers = [stack.enter_context(LiveServer(db, work / "data", log=work / f"serve-{n}.log"))
                           for n in range(processes)]
            else:
                servers = [stack.enter_context(LiveServer(db, work / "data", log=work / "serve.log",
                                                          env={"AKIYA_WORKERS": str(processes)}))]
            server_ports = [s.port for s in servers]
            tokens, templates = [], []
            for n, login in enumerate(logins):
                api = servers[n % len(servers)].session(login)
                first = survey_records(1, b"\xff\xd8", f"bench-{n}-")[0]
                assert api.push([first.op])[0]["status"] == "applied"
                tokens.append(api.token)
                templates.append(first.op["inspection"])
            database = stack.enter_context(PostgresCpu(db)) if backend == "postgresql" else None
            figures = []
            for batch, count in ((1, requests), (100, batches)):
                plans = [[json.dumps({"device_id": f"bench-{n}", "ops": ops_for(t, batch)}).encode()
                          for _ in range(count)] for n, t in enumerate(templates)]
                cpu = sum(tree_cpu_seconds(s.pid) for s in servers)
                db_cpu, own_cpu = database.reading() if database else {}, time.process_time()
                done, seconds = asyncio.run(run_mode(server_ports, tokens, plans))
                cpu = sum(tree_cpu_seconds(s.pid) for s in servers) - cpu
                db_cpu = database.since(db_cpu) if database else 0.0
                own_cpu = time.process_time() - own_cpu
                figures.append({"backend": backend, "processes": processes, "ports": len(servers),
                                "batch": batch, "clients": clients,
                                "inspections": done, "seconds": seconds, "per_second": done / seconds,
                                "requests_per_second": clients * count / seconds,
                                "server_cpu_ms_per_inspection": cpu * 1000 / done,
                                "database_cpu_ms_per_inspection": db_cpu * 1000 / done,
                                "client_cpu_ms_per_inspection": own_cpu * 1000 / done,
                                "load_average": os.getloadavg()[0], "target": TARGETS[backend, batch]})
            figures.append({"server_peak_rss_mb": max(tree_peak_rss_mb(s.pid) for s in servers)})
    return figures


def label(backend: str, processes: int, ports: int = 1) -> str:
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
    if processes == 1:
        return f"{name}, 1 process"
    return f"{name}, {processes} processes" + (f" on {ports} ports" if ports > 1 else " (serve --workers)")


def side_by_side(setups: list[str], rounds: int = 1, ports: bool = False, **sizes) -> list[dict]:
    """Every setup `rounds` times, alternating; per setup and batch size the run with the median
    rate (its other figures with it), with `runs` (every rate) and the servers' peak memory added."""
    runs: dict[tuple[str, int], list[dict]] = {}
    for _ in range(rounds):
        for setup in setups:
            backend, processes = SETUPS[setup]
            *modes, memory = bench(backend=backend, processes=processes, ports=ports, **sizes)
            for f in modes:
                runs.setdefault((setup, f["batch"]), []).append({**f, **memory})
    found = []
    for batch in (1, 100):
        for setup in dict.fromkeys(setups):
            these = runs[setup, batch]
            rates = [f["per_second"] for f in these]
            middle = min(these, key=lambda f: abs(f["per_second"] - statistics.median(rates)))
            found.append({**middle, "runs": rates})
    return found


def capacity(f: dict) -> float:
    """Inspections per CPU-second of the servers (and PostgreSQL): what one unshared core would apply
    if nothing waited; on a shared machine it moves far less than the rate (up to about ×2 at load 7)."""
    return 1000 / max(f["server_cpu_ms_per_inspection"] + f["database_cpu_ms_per_inspection"], 1e-9)


def line(f: dict) -> str:
    verdict = "meets" if f["per_second"] >= f["target"] else "MISSES"
    runs = "" if len(f["runs"]) == 1 else " (runs: " + ", ".join(f"{r:,.0f}" for r in f["runs"]) + ")"
    return (f"{label(f['backend'], f['processes'], f.get('ports', 1))}, batch {f['batch']}, {f['clients']} clients: "
            f"{f['per_second']:,.0f} inspections/s{runs} ({f['requests_per_second']:,.0f} req/s); "
            f"{verdict} target ≥ {f['target']:,}/s; CPU per inspection: servers {f['server_cpu_ms_per_inspection']:.2f} ms"
            + (f", PostgreSQL {f['database_cpu_ms_per_inspection']:.2f} ms" if f["backend"] == "postgresql" else "")
            + f", clients {f['client_cpu_ms_per_inspection']:.2f} ms (= {capacity(f):,.0f} inspections per CPU-second of "
              f"servers{' and PostgreSQL' if f['backend'] == 'postgresql' else ''}); server peak RSS {f['server_peak_rss_mb']:.0f} MB; "
              f"load average {f['load_average']:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=30, help="single-op requests per client")
    ap.add_argument("--batches", type=int, default=3, help="100-op requests per client")
    ap.add_argument("--rounds", type=int, default=1, help="how many times the setups alternate")
    ap.add_argument("--setups", default=",".join(SETUPS), help=f"comma-separated, of: {', '.join(SETUPS)}")
    ap.add_argument("--ports", action="store_true", help="several processes as servers on ports of their own "
                                                         "(default: `akiya serve --workers N` on one port)")
    args = ap.parse_args()
    setups = [s.strip() for s in args.setups.split(",") if s.strip()]
    unknown = [s for s in setups if s not in SETUPS]
    if unknown:
        ap.error(f"unknown setup(s) {', '.join(unknown)}; known: {', '.join(SETUPS)}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
          f"(clients, servers and PostgreSQL share them)")
    for f in side_by_side(setups, args.rounds, args.ports, clients=args.clients, requests=args.requests, batches=args.batches):
        print("push " + line(f))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
