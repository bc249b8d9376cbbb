"""/metrics (server/observe/metrics.py): what is counted, with labels that stay few whatever the traffic,
and who may read it."""

from __future__ import annotations

import uuid

import pytest
from litestar.testing import TestClient

import reports

from server.app import create_app
from tests.ops.scrape import Scrape, scrape
from tests.support.field import watch_visit
from tests.support.world import build_world

# Every label name the server uses; none can carry a person, a house, a photo or a raw path.
LABEL_NAMES = {"method", "route", "status", "type", "result", "code", "kind", "reason", "backend", "op", "pool",
               "event", "check", "lease", "le"}


def route_templates(client) -> set[str]:
    return {route.path_format for route in client.app.routes} | {"unmatched"}


def test_requests_are_counted_by_route_template_never_by_raw_path_or_user(client, world, as_):
    aoki = as_("aoki")
    before = scrape(client)  # the counters are the process's: other tests in it counted before this one
    photo_ids = [str(uuid.uuid4()) for _ in range(25)]
    for photo_id in photo_ids:
        assert aoki.head(f"/api/v1/photos/{photo_id}").status_code == 404
    junk = [f"/no-such-page/{uuid.uuid4().hex}" for _ in range(25)]
    for path in junk:
        assert client.get(path).status_code == 404
    aoki.pull()

    found = scrape(client)
    requests = found.series("akiya_http_requests_total")
    assert {labels["route"] for labels in requests} <= route_templates(client)
    assert {"/api/v1/photos/{photo_id}", "unmatched", "/api/v1/sync/pull"} <= {s["route"] for s in requests}
    grew = [labels for labels in requests if found.value("akiya_http_requests_total", **labels)
            > before.value("akiya_http_requests_total", **labels)]
    assert len(grew) <= 10  # 50 distinct paths, a handful of series
    assert not [text for text in (*photo_ids, *junk, "aoki", world.properties["watched"]) if text in found.text]
    assert {name for sample in found.samples if sample.name.startswith("akiya_") for name in sample.labels} <= LABEL_NAMES


def test_push_ops_are_counted_by_type_result_and_refusal_code(client, world, as_):
    aoki = as_("aoki")
    before = scrape(client)
    visit = watch_visit(world)
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    assert aoki.push([visit.op()])[0]["status"] == "duplicate"
    elsewhere = watch_visit(world)
    elsewhere.inspection["property_id"] = str(uuid.uuid4())  # a house nobody knows
    refused = aoki.push([elsewhere.op()])[0]
    assert refused["status"] in ("rejected", "conflict")
    after = scrape(client)

    def added(**labels) -> float:
        return after.value("akiya_push_ops_total", **labels) - before.value("akiya_push_ops_total", **labels)

    assert added(type="inspection.submit", result="applied", code="") == 1
    assert added(type="inspection.submit", result="duplicate", code="") == 1
    assert added(type="inspection.submit", result=refused["status"], code=refused["error"]["code"]) == 1


def test_a_stored_photo_counts_its_bytes_ingest_time_and_evidence_flags(client, world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    aoki.push([visit.op()])
    before = scrape(client)
    statuses = visit.upload_all(aoki)
    assert set(statuses) == {201}
    after = scrape(client)
    assert after.value("akiya_photo_upload_bytes_total") - before.value("akiya_photo_upload_bytes_total") == \
        sum(len(data) for data in visit.photos.values())
    assert after.value("akiya_photo_ingest_seconds_count") - before.value("akiya_photo_ingest_seconds_count") == \
        len(visit.photos)


def test_database_connections_are_given_back_and_their_wait_is_measured(client, as_):
    before = scrape(client)
    as_("aoki").pull()
    after = scrape(client)
    assert after.value("akiya_db_wait_seconds_count", pool="reader") > before.value("akiya_db_wait_seconds_count",
                                                                                    pool="reader")
    # the scrape's own reads are done before the text is made: every connection is back
    assert after.value("akiya_db_connections_in_use", pool="writer") == 0
    assert after.value("akiya_db_connections_in_use", pool="reader") == 0


def test_refused_sign_ins_are_counted_as_throttling_events(client, world):
    before = scrape(client)
    answers = [client.post("/api/v1/auth/login", json={"login": "kato", "password": "wrong-guess"}).status_code
               for _ in range(8)]
    assert 429 in answers
    after = scrape(client)
    refused = after.value("akiya_login_throttle_events_total", event="refused") - \
        before.value("akiya_login_throttle_events_total", event="refused")
    assert refused == answers.count(429)
    assert after.value("akiya_login_throttle_events_total", event="lockout") > \
        before.value("akiya_login_throttle_events_total", event="lockout")


def test_the_state_is_read_at_scrape_time(client, world):
    found = scrape(client)
    assert found.value("akiya_ready", check="database") == 1
    assert found.value("akiya_ready", check="storage") == 1
    assert found.value("akiya_schema_version") == found.value("akiya_schema_version_expected") > 0
    assert found.value("akiya_mail_queue_depth", status="pending") == 0
    assert found.value("akiya_data_dir_size_bytes") > found.value("akiya_data_dir_free_bytes") > 0


def test_with_a_token_set_metrics_refuse_a_scrape_without_it(backend):
    settings = backend.settings(metrics_token="prom-" + uuid.uuid4().hex)
    build_world(settings.db)
    with TestClient(create_app(settings)) as http:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {settings.metrics_token}"}):
            refused = http.get("/metrics", headers=headers)
            assert refused.status_code == 401
            assert refused.json()["code"] == "metrics_token_required"
            assert refused.json()["request_id"] == refused.headers["x-request-id"]
        assert isinstance(scrape(http, token=settings.metrics_token), Scrape)


class _Renderer:
    """Stands in for the PDF worker pool: answers with bytes, or fails as a machine without fonts does."""

    def __init__(self, fails: bool):
        self.fails = fails

    async def render(self, kind, document, substitute_missing=True) -> bytes:
        if self.fails:
            raise reports.FontNotFound("no IPAex fonts")
        return b"%PDF-1.4 stand-in"


def test_documents_are_counted_by_kind_and_failures_by_their_code(settings):
    import asyncio

    from server.documents.service import DocumentService
    from server.core.errors import AppError
    from server.observe.metrics import DOCUMENT_FAILURES, DOCUMENT_SECONDS, DOCUMENTS

    built, failed = DOCUMENTS.labels("survey"), DOCUMENT_FAILURES.labels("survey", "fonts_missing")
    built_before, failed_before = built._value.get(), failed._value.get()
    timed_before = DOCUMENT_SECONDS.labels("survey")._sum.get()
    working = DocumentService(None, settings, None, _Renderer(fails=False), None, owns_renderer=False)
    assert asyncio.run(working.pdf("survey", object())) == b"%PDF-1.4 stand-in"
    broken = DocumentService(None, settings, None, _Renderer(fails=True), None, owns_renderer=False)
    with pytest.raises(AppError) as refused:
        asyncio.run(broken.pdf("survey", object()))
    assert refused.value.code == "fonts_missing"
    assert (built._value.get() - built_before, failed._value.get() - failed_before) == (1, 1)
    assert DOCUMENT_SECONDS.labels("survey")._sum.get() > timed_before
