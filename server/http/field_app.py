"""Serving the carrier's PWA (field_app/) at /app/.

The service worker goes out as JavaScript with `Cache-Control: no-cache` and with its
`SHELL_VERSION` placeholder replaced by a hash of every precached file, so any change to the
shell makes a new service worker (and a new cache) without anyone bumping a number by hand.

First paint: the app is one script, field_app/app.bundle.js (field_app/js/ bundled by esbuild:
`make bundle`), instead of a chain of imports seven levels deep. index.html (no-cache) names it
and the stylesheet under /app/v/<version>/. A versioned file never changes: it is cached for a
year (`immutable`); an old version's URL is a 404, so a stale copy is never cached under a new
name. Text files go out gzipped when the browser takes gzip (compressed once per version).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

from litestar import Request, Response, get
from litestar.static_files import create_static_files_router

from server.landing import app_without_slash
from server.http.request_bounds import bound_ids

FIELD_APP_DIR = Path(__file__).resolve().parents[2] / "field_app"
_VERSION_PLACEHOLDER = "__SHELL_VERSION__"
_PRECACHE_BLOCK = re.compile(r"const PRECACHE = \[(.*?)\];", re.S)
_NO_CACHE = {"Cache-Control": "no-cache"}
_FOREVER = {"Cache-Control": "public, max-age=31536000, immutable"}
# Litestar adds "; charset=utf-8" to text/* types itself: naming it here too sent it twice.
_TEXT_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html",
               ".webmanifest": "application/manifest+json"}


def precached_files(app_dir: Path = FIELD_APP_DIR) -> list[str]:
    """The shell files sw.js precaches, as paths relative to /app/ ("./" is index.html)."""
    block = _PRECACHE_BLOCK.search((app_dir / "sw.js").read_text(encoding="utf-8"))
    if block is None:
        raise ValueError("sw.js has no `const PRECACHE = [...]` list")
    return re.findall(r'"([^"]+)"', block.group(1))


def shell_version(app_dir: Path = FIELD_APP_DIR) -> str:
    digest = hashlib.sha256()
    for name in precached_files(app_dir):
        path = app_dir / ("index.html" if name == "./" else name.removeprefix("./"))
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=256)
def _gzipped(version: str, name: str, body: bytes) -> bytes:
    """The body compressed once per (version, file); the version keeps a changed file apart."""
    return gzip.compress(body, compresslevel=9, mtime=0)


def _send(request: Request, body: bytes, media_type: str, headers: dict, version: str, name: str) -> Response[bytes]:
    headers = {**headers, "Vary": "Accept-Encoding"}
    if media_type.startswith(("text/", "application/manifest")) and "gzip" in request.headers.get("accept-encoding", ""):
        body = _gzipped(version, name, body)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=media_type, headers=headers)


def index_html(version: str, app_dir: Path = FIELD_APP_DIR) -> bytes:
    """index.html with its script and stylesheet under the current version."""
    return (app_dir / "index.html").read_text(encoding="utf-8").replace(_VERSION_PLACEHOLDER, version).encode()


def shell_index(request: Request) -> Response[bytes] | None:
    """before_request of the static router: /app/ and /app/index.html are made here."""
    path = request.scope.get("raw_path", b"").split(b"?")[0]
    if path not in (b"/app/", b"/app/index.html"):
        return None
    version = shell_version()
    return _send(request, index_html(version), _TEXT_TYPES[".html"], _NO_CACHE, version, "index.html")


@get("/app/v/{version:str}/{name:path}", include_in_schema=False, sync_to_thread=False)
def versioned_file(request: Request, version: str, name: str) -> Response[bytes]:
    """A shell file under the current version, cached for a year; anything else is a 404."""
    relative = name.lstrip("/")
    if version != shell_version() or relative not in precached_files() or relative == "./":
        return Response(b"", status_code=404, media_type="text/plain")
    path = FIELD_APP_DIR / relative
    media_type = _TEXT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return _send(request, path.read_bytes(), media_type, _FOREVER, version, relative)


@get("/app/sw.js", include_in_schema=False, sync_to_thread=False)
def service_worker() -> Response[bytes]:
    source = (FIELD_APP_DIR / "sw.js").read_text(encoding="utf-8")
    body = source.replace(_VERSION_PLACEHOLDER, shell_version()).encode()
    return Response(body, media_type="text/javascript", encoding="utf-8", headers=_NO_CACHE)


@get("/app/manifest.webmanifest", include_in_schema=False, sync_to_thread=False)
def manifest() -> Response[bytes]:
    return Response((FIELD_APP_DIR / "manifest.webmanifest").read_bytes(),
                    media_type="application/manifest+json", headers=_NO_CACHE)


def field_app_routes() -> list:
    if not FIELD_APP_DIR.is_dir():
        return []
    return [service_worker, manifest, versioned_file,
            create_static_files_router(path="/app", directories=[FIELD_APP_DIR], html_mode=True,
                                       include_in_schema=False, name="field_app", before_request=_before_static)]


async def _before_static(request: Request) -> Response | None:
    """The router's own before_request replaces the app's: the request bounds first (a NUL in a file
    name is a 404, not a 500 from the file system), then `/app` -> `/app/` and the shell's index."""
    await bound_ids(request)
    return app_without_slash(request) or shell_index(request)
