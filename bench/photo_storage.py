"""Photo upload into object storage vs the data folder: the whole PUT /api/v1/photos/{id} of a
phone-shrunk 1600×1200 JPEG as a phone sees it on loopback (receive, sha256, EXIF, derivatives,
store, record), on two `akiya serve` processes side by side: one with photos in the data folder,
one with AKIYA_STORAGE_URL on `rclone serve s3` (a real S3 server on loopback). Uploads alternate
between the two so that load from elsewhere hits both alike. Prints figures; asserts nothing.

Run: .venv/bin/python bench/photo_storage.py [--uploads 20]
Issue 15's goal: ≤ 40 ms for a phone-shrunk photo into object storage.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.photo_ingest import phone_jpeg  # noqa: E402
from tests.support.backends import _wait_for_port, rclone_binary  # noqa: E402
from tests.support.live_server import LiveServer, free_port  # noqa: E402
from tests.support.world import build_world  # noqa: E402

GOAL_MS = 40.0


def start_rclone(root: Path) -> tuple[subprocess.Popen, dict[str, str], str]:
    """`rclone serve s3` over root (bucket `akiya`): the process, the server's environment, the storage URL."""
    (root / "akiya").mkdir(parents=True)
    port, secret = free_port(), uuid.uuid4().hex
    log = root.parent / "rclone.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([rclone_binary(), "serve", "s3", "--addr", f"127.0.0.1:{port}", "--auth-key",
                                    f"bench,{secret}", "--config", os.devnull, str(root)],
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    _wait_for_port(port, process, log)
    env = {"AKIYA_STORAGE_URL": "s3://akiya/bench", "AKIYA_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
           "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": "us-east-1"}
    return process, env, "s3://akiya/bench"


def declared_photos(server: LiveServer, data: bytes, count: int) -> tuple[object, list[str]]:
    """`count` photos declared (each by a vacant-house report op with one photo), all carrying `data`; their ids."""
    aoki = server.session("aoki")
    ids = [str(uuid.uuid4()) for _ in range(count)]
    ops = [{"op_id": str(uuid.uuid4()), "type": "property.report",
            "property": {"id": str(uuid.uuid4()), "lat": 35.687, "lon": 139.74, "address_text": f"一番町{n}付近"},
            "photo": {"id": photo_id, "sha256": hashlib.sha256(data).hexdigest(), "slot": "report"}}
           for n, photo_id in enumerate(ids)]
    assert {r["status"] for r in aoki.push(ops)} == {"applied"}
    return aoki, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=20, help="timed uploads per store (default 20)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="akiya-bench-storage-") as folder:
        folder = Path(folder)
        photo = folder / "phone.jpg"
        phone_jpeg(photo, (1600, 1200), 1, 1.3, 85)
        data = photo.read_bytes()
        rclone, s3_env, url = start_rclone(folder / "s3")
        servers = {}
        try:
            for name, env in (("data folder", {}), (f"object storage ({url}, rclone serve s3)", s3_env)):
                db = folder / f"{len(servers)}.sqlite3"
                build_world(db)
                server = LiveServer(db, folder / f"data-{len(servers)}", env=env).start()
                servers[name] = (server, *declared_photos(server, data, args.uploads + 1))
            times: dict[str, list[float]] = {name: [] for name in servers}
            for n in range(args.uploads + 1):  # the first of each is a warm-up (connections, imports)
                for name, (server, session, ids) in servers.items():
                    started = time.perf_counter()
                    response = session.put_photo(ids[n], data)
                    elapsed = (time.perf_counter() - started) * 1000
                    assert response.status_code == 201, response.text
                    if n:
                        times[name].append(elapsed)
        finally:
            for server, *_ in servers.values():
                server.stop()
            rclone.terminate()
            rclone.wait(timeout=10)
        print(f"phone-shrunk 1600×1200 JPEG, {len(data) / 1e3:.0f} KB, {args.uploads} uploads each, "
              f"whole PUT on loopback (goal ≤ {GOAL_MS:.0f} ms into object storage):")
        for name, found in times.items():
            print(f"  {name}: median {statistics.median(found):.1f} ms, "
                  f"p90 {statistics.quantiles(found, n=10)[-1]:.1f} ms, min {min(found):.1f} ms")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
