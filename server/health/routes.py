"""GET /readyz (is this process ready for work, and if not, what failed) and GET /metrics
(Prometheus text format: with a token when AKIYA_METRICS_TOKEN is set, else only from this machine)."""

from __future__ import annotations

import hmac
import ipaddress
from datetime import datetime

from litestar import Request, Response, get
from litestar.datastructures import State

from server.core import problems
from server.core.clock import now
from server.health import queries
from server.observe import metrics
from server.health.readiness import Readiness, check
from server.http.web import bearer_token


@get("/readyz", include_in_schema=False)
async def readyz(state: State) -> Response[Readiness]:
    found = await check(state)
    return Response(found, status_code=200 if found.ready else 503, headers={"Cache-Control": "no-store"})


def _may_scrape(request: Request, token: str | None) -> None:
    if token:
        given = bearer_token(request) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise problems.METRICS_TOKEN_REQUIRED()
        return
    client = request.client.host if request.client else ""
    try:
        local = ipaddress.ip_address(client).is_loopback
    except ValueError:
        local = client == "testclient"  # litestar's in-process test client
    if not local:
        raise problems.NOT_FOUND("page")  # as if there were no such page


@get("/metrics", include_in_schema=False)
async def metrics_page(request: Request, state: State) -> Response[bytes]:
    _may_scrape(request, state.settings.metrics_token)
    return Response(metrics.exposition(await state_metrics(state)), media_type=metrics.CONTENT_TYPE,
                    headers={"Cache-Control": "no-store"})


async def state_metrics(state: State) -> list:
    """Gauges of the state as it is now: readiness, schema level, mail queue, leases, disk."""
    ready = await check(state)
    families = [
        metrics.gauge("akiya_ready", "1 when the check passes (database, migrations, storage), as /readyz",
                      {(name, ): float(found.ok) for name, found in ready.checks.items()}, ("check",)),
        metrics.gauge("akiya_ready_check_seconds", "How long the check took",
                      {(name, ): found.seconds for name, found in ready.checks.items()}, ("check",)),
    ]
    migrations = ready.checks["migrations"]
    families.append(metrics.gauge("akiya_schema_version_expected", "Migration level this code brings",
                                  {(): migrations.expected}))
    if migrations.level is not None:
        families.append(metrics.gauge("akiya_schema_version", "Migration level of the database", {(): migrations.level}))
    if ready.checks["database"].ok:
        families += await _database_state(state)
    return families + metrics.disk_gauges(state.settings.data_dir)


async def _database_state(state: State) -> list:
    at = now()
    async with state.db.read() as conn:
        mail = {row.status: row for row in await queries.mail_queue(conn)}
        leases = await queries.leases(conn)
    pending = mail.get("pending")
    oldest = 0.0
    if pending is not None and pending.oldest_created_at:
        oldest = max(0.0, (at - datetime.fromisoformat(pending.oldest_created_at)).total_seconds())
    return [
        metrics.gauge("akiya_mail_queue_depth", "Report e-mails waiting to be sent (pending) or given up (failed)",
                      {(status, ): float(mail[status].jobs if status in mail else 0) for status in ("pending", "failed")},
                      ("status",)),
        metrics.gauge("akiya_mail_queue_oldest_age_seconds", "Age of the oldest report e-mail still waiting to be sent",
                      {(): oldest}),
        metrics.gauge("akiya_lease_held", "1 when some server process holds the lease (schedule, mail) and it has not expired",
                      {(lease.name, ): float(lease.held_at(at)) for lease in leases}, ("lease",)),
    ]
