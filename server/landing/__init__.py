"""The front door: `/` says what this is and where to go; `/app` (no slash) goes to the app."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Redirect, Template


@get("/", include_in_schema=False)
async def landing(request: Request) -> Template:
    return Template(template_name="landing.html", context={"user": None, "nav": [], "here": "/"})


def app_without_slash(request: Request) -> Redirect | None:
    """before_request of the app's static router: `/app` would serve index.html whose relative
    script paths then miss (stuck on 読み込み中…); send the browser to `/app/` instead."""
    if request.scope.get("raw_path", b"").split(b"?")[0] == b"/app":  # scope["path"] drops the slash
        return Redirect("/app/", status_code=301)
    return None


def landing_routes() -> list:
    return [landing]
