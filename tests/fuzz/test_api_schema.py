"""Schemathesis against the served OpenAPI schema, in process, as every role: no 5xx, and every
response (status, content type, headers, body) as the schema documents it."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    allow_header_conformance, max_response_time, negative_data_rejection, positive_data_acceptance,
)
from schemathesis.python.asgi import HOST as ASGI_HOST

from server.app import create_app
from server.auth.tokens import issue_token
from server.db import Database
from server.core.settings import Settings
from tests.support.world import build_world

ROLES = {"carrier": "aoki", "office": "ueda", "municipality": "mori", "owner": "ono", "admin": "admin"}
EXAMPLES = 25


def _documented_api() -> dict:
    """The OpenAPI document the app serves (the same dict), read from an app that is never started:
    no database; the CSRF secret it writes goes to a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="akiya-schema-") as scratch:
        never_started = create_app(Settings(db=Path(scratch) / "unused.sqlite3", data_dir=Path(scratch)))
        return never_started.openapi_schema.to_schema()


class AppOfTheFixture:
    """The ASGI app schemathesis calls: the `api` fixture's app, plugged in while the fixture lives
    (the operations must be known when tests are collected; the app and its database come later)."""

    app = None

    async def __call__(self, scope, receive, send):
        assert self.app is not None, "the api fixture is not set up"
        await self.app(scope, receive, send)


APP = AppOfTheFixture()
schema = schemathesis.openapi.from_dict(_documented_api())
schema.app = APP
schema.config.update(base_url=f"http://{ASGI_HOST}")


# Excluded, each a known gap rather than our bug:
#  - allow_header_conformance: Litestar lists one method in `Allow` on paths with several
#    handlers (litestar-org/litestar#4169); the 405 itself is right.
#  - max_response_time: wall time on a shared 2-core CI machine says nothing about the API.
#  - negative_data_rejection: it counts unknown query parameters (ignored by design, as Litestar
#    does) and a removed Authorization header (this test always sends the role's token) as data
#    that must be refused. Negative cases are still generated and must never get a 5xx.
#  - positive_data_acceptance is replaced by the check below: a string holding a control character
#    (NUL...) fits a `string` of the schema, and the server refuses it by design (400
#    control_character naming the field, server/core/control_chars.py); everything else must be accepted.
EXCLUDED = [allow_header_conformance, max_response_time, negative_data_rejection, positive_data_acceptance]


def accepts_valid_data_but_control_characters(ctx, response, case):
    """positive_data_acceptance, except the refusal of control characters the schema cannot state."""
    if response.status_code == 400 and response.json().get("code") == "control_character":
        return None
    return positive_data_acceptance(ctx, response, case)
# Rules across fields that an OpenAPI schema from msgspec types cannot state; the 400 is the
# documented, intended answer there:
#  - review: decision "return" needs a comment (差し戻しの理由).
# And a Litestar gap: `Annotated[float, Meta(gt=0)] | None` is rendered without its
# exclusiveMinimum (maximum survives), so radius_m 0.0 looks valid in the schema:
#  - disaster events: area.radius_m must be > 0.
EXCLUDED_FOR = {
    "POST /api/v1/inspections/{inspection_id}/review": [positive_data_acceptance],
    "POST /api/v1/disaster-events": [positive_data_acceptance],
    "PUT /api/v1/disaster-events/{event_id}": [positive_data_acceptance],
}


class AppUnderTest:
    """The app over a fresh test world in its own folder, and a token per role."""

    def __init__(self, root: Path):
        self.settings = Settings(db=root / "akiya.sqlite3", data_dir=root / "data")
        self.world = build_world(self.settings.db)
        self.app = create_app(self.settings)
        self.tokens = {role: self.fresh_token(login) for role, login in ROLES.items()}

    def fresh_token(self, login: str) -> str:
        """A new token each call, so that fuzzing POST /auth/logout cannot sign the role out for the rest."""

        async def issue():
            async with Database(self.settings.db, readers=1) as db:
                return await db.write(issue_token, self.world.users[login], 1)

        return asyncio.run(issue())[0]


@pytest.fixture(scope="module")
def api(tmp_path_factory) -> AppUnderTest:
    api = AppUnderTest(tmp_path_factory.mktemp("fuzz"))
    APP.app = api.app
    yield api
    APP.app = None


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_answers_every_role_as_documented_and_never_with_5xx(case, role, api):
    token = api.fresh_token(ROLES[role]) if case.path.endswith("/logout") else api.tokens[role]
    excluded = EXCLUDED + EXCLUDED_FOR.get(f"{case.method.upper()} {case.path}", [])
    extra = [] if positive_data_acceptance in EXCLUDED_FOR.get(f"{case.method.upper()} {case.path}", []) \
        else [accepts_valid_data_but_control_characters]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded,
                           additional_checks=extra)
