"""Push throughput against the real server on loopback: 16 concurrent clients (keep-alive), batch 1 and batch 100.

Run: .venv/bin/python bench/sync_push.py [--clients 16 --requests 60 --batches 6]
Prints inspections/s per mode and the server's peak memory. Targets: ≥ 500/s single-op, ≥ 2,000/s batched.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.records import build_world_with_carriers, survey_records  # noqa: E402
from tests.support.live_server import HOST, LiveServer  # noqa: E402

TARGETS = {1: 500, 100: 2000}


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


async def run_mode(port: int, tokens: list[str], plans: list[list[bytes]]) -> tuple[int, float]:
    applied: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(*(client(port, t, p, applied) for t, p in zip(tokens, plans)))
    return sum(applied), time.perf_counter() - started


def bench(clients: int = 16, requests: int = 60, batches: int = 6) -> list[dict]:
    """Figures per batch size: inspections applied, seconds, inspections/s, requests/s."""
    with tempfile.TemporaryDirectory(prefix="akiya-push-") as work:
        work = Path(work)
        logins = build_world_with_carriers(work / "akiya.sqlite3", clients)
        with LiveServer(work / "akiya.sqlite3", work / "data") as server:
            tokens, templates = [], []
            for n, login in enumerate(logins):
                api = server.session(login)
                first = survey_records(1, b"\xff\xd8", f"bench-{n}-")[0]
                assert api.push([first.op])[0]["status"] == "applied"
                tokens.append(api.token)
                templates.append(first.op["inspection"])
            figures = []
            for batch, count in ((1, requests), (100, batches)):
                plans = [[json.dumps({"device_id": f"bench-{n}", "ops": ops_for(t, batch)}).encode()
                          for _ in range(count)] for n, t in enumerate(templates)]
                cpu = server.cpu_seconds()
                done, seconds = asyncio.run(run_mode(server.port, tokens, plans))
                cpu = server.cpu_seconds() - cpu
                figures.append({"batch": batch, "clients": clients, "inspections": done, "seconds": seconds,
                                "server_cpu_ms_per_inspection": cpu * 1000 / done,
                                "per_second": done / seconds, "requests_per_second": clients * count / seconds,
                                "target": TARGETS[batch]})
            figures.append({"server_peak_rss_mb": server.memory_kb()["VmHWM"] / 1024})
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=60, help="single-op requests per client")
    ap.add_argument("--batches", type=int, default=6, help="100-op requests per client")
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    *modes, memory = bench(args.clients, args.requests, args.batches)
    for f in modes:
        verdict = "meets" if f["per_second"] >= f["target"] else "MISSES"
        print(f"push batch {f['batch']:>3}, {f['clients']} clients: {f['inspections']} inspections in "
              f"{f['seconds']:.2f} s = {f['per_second']:,.0f} inspections/s ({f['requests_per_second']:,.0f} req/s); "
              f"{verdict} target ≥ {f['target']:,}/s; server CPU {f['server_cpu_ms_per_inspection']:.2f} ms/inspection")
    print(f"server peak RSS: {memory['server_peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
