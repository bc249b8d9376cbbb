"""Rendering pages: the template engine, the page context, and errors shown as pages."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Request, Response
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.template.config import TemplateConfig

from reports.dates import western_date
from server.core.clock import JST
from server.core.errors import AppError
from server.office import wording
from server.users.queries import User

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def jst(text: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(JST)
    return moment.strftime(fmt)


def rank_label(text: str | None) -> str:
    """A rubric's rank label without its authoring note 「例：」 (the bands are the municipality's,
    given in the rubric as an example): 「加算なし（例：危険度0）」 -> 「加算なし（危険度0）」."""
    return re.sub(r"例[：:]\s*", "", text or "")


def template_config() -> TemplateConfig:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["jst"] = jst
    env.filters["rank_label"] = rank_label
    env.filters["western_date"] = western_date
    env.globals["w"] = wording
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(env))


NAV = {
    "office": [("/office/", "ホーム"), ("/office/review", "確認待ち"), ("/office/tasks", "作業の割り当て"),
               ("/office/properties", "物件"), ("/office/map", "地図"), ("/office/subscriptions", "みまもり契約"),
               ("/office/menu", "料金・作業"), ("/office/requests", "ご要望"),
               ("/office/contracts", "調査契約"), ("/office/candidates", "候補物件"), ("/office/disasters", "災害")],
    "municipality": [("/office/", "調査契約"), ("/office/candidates", "候補物件")],
    "owner": [("/office/", "ご契約の物件")],
}
NAV["admin"] = NAV["office"]


def page(name: str, user: User | None, request: Request | None = None, status_code: int = 200,
         **context) -> Template:
    here = request.url.path if request else ""
    return Template(template_name=name, status_code=status_code,
                    context={"user": user, "nav": NAV.get(user.role, []) if user else [], "here": here, **context})


def page_error_handler(request: Request, exc: AppError) -> Response:
    """On the pages: sign-in for 401, otherwise a page saying what went wrong (404 for not yours)."""
    if exc.status == 401:
        return Redirect(f"/office/login?next={quote(request.url.path)}")
    error = page("error.html", None, request, status_code=exc.status, message=exc.message,
                 request_id=request.scope.get("request_id"))
    if exc.headers:  # Retry-After of a 503, as the API sends it
        error.headers.update(exc.headers)
    return error
