"""Assembly in one place: create_app(settings) lists controllers, handlers and the lifespan."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from litestar import Litestar, get
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from server.core import clock
from server.http.api_docs import render_plugins
from server.auth.routes import AuthController, MeController
from server.db import database_for
from server.demo.mode import start_demo_mode
from server.documents.render import PdfRenderer
from server.documents.service import DocumentService
from server.documents.routes import ReportController
from server.http.field_app import field_app_routes
from server.http.request_bounds import BoundedRequest, bound_ids
from server.http.head_requests import HeadAsGet
from server.landing import landing_routes
from server.core.leases import new_holder
from server.rubrics import RubricRegistry
from server.core.settings import Settings
from server.http.requests import observe
from server.health.routes import metrics_page, readyz
from server.storage import check_reachable, storage_for
from server.storage.metered import Metered
from server.inspections.routes import InspectionController
from server.photos.routes import PhotoController
from server.photos.partials import expire_partials
from server.photos.scratch import ProcessScratch
from server.photos.store import PhotoStore
from server.sync.group import announce_pushes, start_push_queue
from server.sync.routes import SyncController
from server.http.web import EXCEPTION_HANDLERS
from server.disasters.routes import DisasterController
from server.office import office_routes
from server.office.pages import template_config
from server.office.session import csrf_config, csrf_secret
from server.office.background import start_background, stop_background
from server.schedule.routes import ScheduleController
from server.http.security_headers import security_headers

REQUEST_MAX_BODY = 10_000_000  # JSON bodies; the photo route sets its own limit


@get("/healthz", include_in_schema=False)
async def healthz() -> dict:
    return {"ok": True}


def _expire_partials(settings: Settings) -> None:
    deleted = expire_partials(PhotoStore(settings.photos_dir).partial_dir(), settings.upload_partial_days)
    if deleted:
        logging.getLogger("akiya").info("deleted %d partial uploads older than %d days", deleted,
                                        settings.upload_partial_days)


def create_app(settings: Settings | None = None, *, pdf_renderer: PdfRenderer | None = None) -> Litestar:
    """The server. `pdf_renderer`: a PDF worker pool shared with other apps in this process (the
    tests share one); without it the app starts its own and closes it on shutdown.

    Each start reads the settings from `app.state.settings`, so one app can be started again on
    another database and data folder (the tests do: building the routes costs more than a test)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Litestar):
        settings: Settings = app.state.settings
        app.csrf_config.secret = csrf_secret(settings.data_dir)
        if settings.demo:
            start_demo_mode(settings)
        if clock.is_shifted():
            logging.getLogger("akiya").warning("%s is set: this server's clock reads %s, not the real time "
                                               "(for tests and demos only)", clock.CLOCK_VARIABLE, clock.now_iso())
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        # Photos: the data folder, or object storage (one client for the whole process), checked
        # before anything else is opened so that a wrong bucket or key stops the start cleanly.
        storage = Metered(storage_for(settings))
        if settings.storage_url is not None:
            try:
                await check_reachable(storage)
            except BaseException:
                await storage.close()
                raise
        app.state.storage = storage
        db = await database_for(settings.db, start_seconds=settings.db_start_seconds).open()
        app.state.db = db
        start_push_queue(app.state, db, app.state.rubrics)
        app.state.holder = new_holder()  # this process, as a lease holder and scratch folder name
        # Uploads cut off by a crash leave temp files (none was ever recorded): only those of processes
        # that have ended are cleared; another running process's uploads in flight are its own.
        app.state.scratch = ProcessScratch.claim(PhotoStore(settings.photos_dir).scratch_root(), app.state.holder)
        _expire_partials(settings)
        app.state.photos = PhotoStore.for_settings(settings, app.state.storage, scratch=app.state.scratch.path)
        app.state.documents = DocumentService.start(db, settings, app.state.rubrics, photos=app.state.photos,
                                                     renderer=pdf_renderer)
        background = start_background(app.state)
        try:
            yield
        finally:
            await stop_background(background)
            app.state.scratch.release()
            app.state.documents.close()
            await app.state.storage.close()
            await db.close()

    logging.getLogger("akiya").setLevel(logging.INFO)
    route_handlers = [healthz, readyz, metrics_page, AuthController, MeController, SyncController, PhotoController,
                      InspectionController, ReportController, ScheduleController, DisasterController]
    route_handlers += landing_routes() + field_app_routes() + office_routes()
    app = HeadAsGet(
        route_handlers=route_handlers,
        lifespan=[lifespan],
        state=State({
            "settings": settings,
            "rubrics": RubricRegistry.load_dir(settings.rubrics_dir),
        }),
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers(settings)],
        request_max_body_size=REQUEST_MAX_BODY,
        request_class=BoundedRequest,
        before_request=bound_ids,
        template_config=template_config(),
        csrf_config=csrf_config(settings),
        openapi_config=OpenAPIConfig(
            title="akiya API", version="1", path="/schema", render_plugins=render_plugins(),
            description="空き家調査・みまもり akiya: field sync, photos, review and reports.",
            components=Components(security_schemes={
                "BearerToken": SecurityScheme(type="http", scheme="bearer",
                                              description="Token from POST /api/v1/auth/login")}),
        ),
        debug=False,
        # Logging is the process's (server/observe/logs.py, set up by `akiya serve`): Litestar's default
        # would put a second handler on the root logger, bound to the stderr of the moment it was built.
        logging_config=None,
    )
    # Around routing too: unknown paths are counted and logged; a push is announced before its body is read.
    app.asgi_handler = observe(announce_pushes(app.asgi_handler, app.state))
    return app
