"""The Prometheus metrics, all in one place (prometheus-client).

Two kinds:
- events counted where they happen (requests, push ops, photos, documents, storage calls, database
  waits, login throttling): module-level metrics below. Under `akiya serve --workers N` every
  worker writes them to files in PROMETHEUS_MULTIPROC_DIR (set by server/ops/workers.py before the
  workers start) and a scrape of any worker adds them up (prometheus-client's multiprocess mode);
  a worker that dies keeps its counts.
- state read when scraped (mail queue, leases, readiness, schema level, disk space under the data
  folder): `state_metrics()` reads the database and the disk at that moment, so every process
  answers the same and nothing is stale.

Labels are bounded by construction: a route *template* (never a raw path), a method from a fixed
list, a status code, an op type / result / catalogue code, a storage operation, a document kind.
No label ever carries a user, a house, a photo id or an address (tests/ops/test_metrics.py).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
import shutil
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

disable_created_metrics()  # no `_created` series beside each counter: half the text, nothing lost

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4"  # Litestar adds "; charset=utf-8" to text/* (once)

# Seconds buckets: a push is tens of milliseconds, a PDF seconds, a storage call in between.
FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SLOW = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)

# -- HTTP (server/http/requests.py)
REQUESTS = Counter("akiya_http_requests_total", "HTTP requests answered, by method, route template and status",
                   ["method", "route", "status"])
REQUEST_SECONDS = Histogram("akiya_http_request_duration_seconds",
                            "Time from request to the end of the response, by method, route template and status",
                            ["method", "route", "status"], buckets=FAST)

# -- Sync push (server/sync/routes.py)
PUSH_OPS = Counter("akiya_push_ops_total",
                   "Push operations by op type and result (applied, duplicate, conflict, rejected) and the "
                   "catalogue code of a refusal ('' when none)", ["type", "result", "code"])

# -- Photos (server/photos/routes.py)
PHOTO_BYTES = Counter("akiya_photo_upload_bytes_total", "Bytes of photos stored (whole photos, once each)")
PHOTO_INGEST_SECONDS = Histogram("akiya_photo_ingest_seconds",
                                 "Reading a received photo: EXIF, derivatives, hashes, evidence, storing", buckets=FAST)
PHOTO_FLAGS = Counter("akiya_photo_evidence_flags_total", "Evidence flags set on stored photos, by kind", ["kind"])

# -- Documents (server/documents/service.py)
DOCUMENTS = Counter("akiya_documents_built_total", "PDF documents built, by kind", ["kind"])
DOCUMENT_SECONDS = Histogram("akiya_document_build_seconds", "Time to build one PDF, by kind", ["kind"], buckets=SLOW)
DOCUMENT_FAILURES = Counter("akiya_document_failures_total", "PDF documents that could not be built, by kind and reason",
                            ["kind", "reason"])

# -- Storage (server/storage/metered.py)
STORAGE_SECONDS = Histogram("akiya_storage_call_seconds", "Blob store calls, by backend (local, s3) and operation",
                            ["backend", "op"], buckets=FAST)
STORAGE_ERRORS = Counter("akiya_storage_errors_total", "Blob store calls that failed (a missing blob is no error)",
                         ["backend", "op"])

# -- Database (server/db)
DB_IN_USE = Gauge("akiya_db_connections_in_use", "Database connections checked out now, by pool (reader, writer)",
                  ["pool"], multiprocess_mode="livesum")
DB_WAIT_SECONDS = Histogram("akiya_db_wait_seconds", "Time waiting for a database connection, by pool",
                            ["pool"], buckets=(0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0))

# -- Sign-in throttling (server/auth/limits.py)
LOGIN_THROTTLE = Counter("akiya_login_throttle_events_total",
                         "Sign-in throttling: a new wait imposed (lockout) or a sign-in refused while waiting (refused)",
                         ["event"])

# -- Logging itself (server/observe/logs.py)
LOG_DROPPED = Counter("akiya_log_records_dropped_total",
                      "Log lines dropped because the output could not keep up (never blocks a request)")


def registry() -> CollectorRegistry:
    """The registry to scrape: every worker's files under `--workers N`, else this process's own."""
    if os.environ.get(MULTIPROC_ENV):
        gathered = CollectorRegistry()
        MultiProcessCollector(gathered)
        return gathered
    from prometheus_client import REGISTRY

    return REGISTRY


class _Snapshot:
    """A collector of gauges computed just before the scrape."""

    def __init__(self, families):
        self.families = families

    def collect(self):
        return self.families


def gauge(name: str, help_text: str, samples: dict[tuple, float], labels: tuple[str, ...] = ()) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, help_text, labels=list(labels) if labels else None)
    for values, value in samples.items():
        family.add_metric(list(values), value)
    return family


def disk_gauges(data_dir: Path) -> list[GaugeMetricFamily]:
    """Free and total bytes of the file system holding the data folder."""
    try:
        usage = shutil.disk_usage(data_dir)
    except OSError:
        return []
    return [gauge("akiya_data_dir_free_bytes", "Free bytes on the file system of the data folder", {(): usage.free}),
            gauge("akiya_data_dir_size_bytes", "Size of the file system of the data folder", {(): usage.total})]


def exposition(state_families: list[GaugeMetricFamily]) -> bytes:
    """The text a scrape gets: the counted metrics, then the state read now."""
    snapshot = CollectorRegistry(auto_describe=False)
    snapshot.register(_Snapshot(state_families))
    return generate_latest(registry()) + generate_latest(snapshot)


@contextmanager
def checked_out(pool: str, waiting_since: float):
    """Count a connection of `pool` ("reader", "writer") as in use for the block, and the time
    since `waiting_since` (perf_counter) as the wait for it (akiya_db_* metrics)."""
    DB_WAIT_SECONDS.labels(pool).observe(time.perf_counter() - waiting_since)
    in_use = DB_IN_USE.labels(pool)
    in_use.inc()
    try:
        yield
    finally:
        in_use.dec()
