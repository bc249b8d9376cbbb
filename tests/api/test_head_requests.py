"""HEAD works wherever GET does, with the GET's status and headers and no body; no Content-Type
names its charset twice (pages, the API, the field app's files, the office's static files)."""

from __future__ import annotations

from server.app import create_app
from server.core.settings import Settings

STATIC = ["/app/", "/app/sw.js", "/app/js/main.js", "/app/js/plain-text.js", "/app/css/app.css",
          "/app/manifest.webmanifest", "/app/icons/icon-192.png", "/office/static/office.css",
          "/office/static/map.js", "/office/static/vendor/leaflet/leaflet.css"]


def _get_paths_without_parameters() -> list[str]:
    app = create_app(Settings())
    return sorted({route.path for route in app.routes if "GET" in getattr(route, "methods", ())
                   and "{" not in route.path and "HEAD" not in route.methods} - {"/app"})


def test_head_answers_like_get_without_the_body_and_no_type_names_its_charset_twice(world, as_):
    admin = as_("admin")
    differing = {}
    for path in _get_paths_without_parameters() + STATIC:
        got, head = admin.get(path), admin.head(path)
        assert got.status_code < 500, (path, got.text)
        seen = (head.status_code, head.headers.get("content-type"), head.content)
        if seen != (got.status_code, got.headers.get("content-type"), b""):
            differing[path] = (got.status_code, got.headers.get("content-type"), seen)
        assert got.headers.get("content-type", "").count("charset") <= 1, (path, got.headers.get("content-type"))
    assert differing == {}


def test_the_paths_tried_include_the_schema_and_the_office_pages():
    paths = _get_paths_without_parameters()
    assert {"/schema", "/office/login", "/healthz"} <= set(paths)
