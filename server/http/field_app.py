"""Serving the carrier's PWA (field_app/) at /app/.

The service worker goes out as JavaScript with `Cache-Control: no-cache` and with its
`SHELL_VERSION` placeholder replaced by a hash of every precached file, so any change to the
shell makes a new service worker (and a new cache) without anyone bumping a number by hand.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from litestar import Response, get
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

from server.landing import app_without_slash
from server.http.request_bounds import bound_ids

FIELD_APP_DIR = Path(__file__).resolve().parents[2] / "field_app"
_VERSION_PLACEHOLDER = "__SHELL_VERSION__"
_PRECACHE_BLOCK = re.compile(r"const PRECACHE = \[(.*?)\];", re.S)
_NO_CACHE = {"Cache-Control": "no-cache"}


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


@get("/app/sw.js", include_in_schema=False, sync_to_thread=False)
def service_worker() -> Response[bytes]:
    source = (FIELD_APP_DIR / "sw.js").read_text(encoding="utf-8")
    body = source.replace(_VERSION_PLACEHOLDER, shell_version()).encode()
    return Response(body, media_type="text/javascript", encoding="utf-8", headers=_NO_CACHE)


@get("/app/manifest.webmanifest", include_in_schema=False, sync_to_thread=False)
def manifest() -> Response[bytes]:
    return Response((FIELD_APP_DIR / "manifest.webmanifest").read_bytes(),
                    media_type="application/manifest+json", headers=_NO_CACHE)


async def _static_request(request) -> Redirect | None:
    """The router's own before_request replaces the app's: the request bounds (a NUL in a file
    name is a 404, not a 500 from the file system), then `/app` → `/app/`."""
    await bound_ids(request)
    return app_without_slash(request)


def field_app_routes() -> list:
    if not FIELD_APP_DIR.is_dir():
        return []
    return [service_worker, manifest,
            create_static_files_router(path="/app", directories=[FIELD_APP_DIR], html_mode=True,
                                       include_in_schema=False, name="field_app", before_request=_static_request)]
