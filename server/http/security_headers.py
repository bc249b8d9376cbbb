"""Security headers on every response: pages, field app, API, photos, PDFs, errors and 404s.

Installed as an app-level `before_send` hook, so responses no handler made (router 404s,
exception pages, static files) carry them too.

- Documents and scripts (HTML, JavaScript: the service worker's own policy comes with sw.js)
  get a policy that allows only this origin: no inline script, no inline style, no plug-ins,
  not framed by anyone. The field app's photos are `blob:` URLs; the office map may load tiles
  from the tile server in AKIYA_TILE_URL.
- Everything else (JSON, photos, PDFs, CSV) gets `default-src 'none'`: opened on its own it can
  load nothing.
- `nosniff` everywhere, so an uploaded photo is never taken for HTML or script.
- HSTS on responses that went out over HTTPS (direct TLS, or a trusted proxy said so with
  X-Forwarded-Proto), unless AKIYA_HSTS_MAX_AGE is 0.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.types import Message, Scope

from server.core.settings import Settings

NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def page_policy(tile_url: str | None = None) -> str:
    tiles = ""
    if tile_url:
        parts = urlsplit(tile_url)
        tiles = f" {parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self' blob: data:{tiles}; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _is_document_or_script(content_type: bytes) -> bool:
    kind = content_type.split(b";", 1)[0].strip().lower()
    return kind == b"text/html" or kind.endswith(b"javascript")


def security_headers(settings: Settings):
    page = page_policy(settings.tile_url).encode()
    nothing = NOTHING_POLICY.encode()
    common = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
              (b"x-frame-options", b"DENY")]
    hsts = [(b"strict-transport-security", f"max-age={settings.hsts_max_age}".encode())] \
        if settings.hsts_max_age else []

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = list(message.get("headers") or [])
        content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
        policy = page if _is_document_or_script(content_type) else nothing
        extra = [(b"content-security-policy", policy), *common]
        if scope.get("scheme") == "https":
            extra += hsts
        message["headers"] = headers + extra  # type: ignore[typeddict-unknown-key]

    return add_security_headers
