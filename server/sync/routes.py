"""GET /api/v1/sync/pull and POST /api/v1/sync/push: the field app's two doors."""

from __future__ import annotations

import re
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, QueryParameter

from server import problems
from server.guards import CARRIER_DEVICE
from server import limits
from server.limits import PUSH_MAX_BYTES
from server.request_bounds import control_character, too_deep
from server.sync.group import PushQueue, provide_push_queue
from server.sync.pull import PullOut, pull
from server.sync.push import PushRequest
from server.sync.schemas import DeviceIdControlChars, PushIn, PushOut, decode_ops
from server.users.queries import User
from server.web import actor_for, error_responses, provide_user


PUSH_DESCRIPTION = f"""Apply ops in order, each atomically on its own; one result per op
(applied | duplicate | rejected | conflict).

Limits (README: Input limits): a push is at most {limits.PUSH_MAX_BYTES:,} bytes (413) and
{limits.PUSH_MAX_OPS} ops (400). An op is rejected as `invalid_op`, before it is scored, when its inspection
has more than {limits.ANSWERS_MAX} answer keys, a key over {limits.ANSWER_KEY_MAX} characters, a text answer over
{limits.ANSWER_TEXT_MAX} characters, a multiple-choice answer over {limits.ANSWER_CHOICES_MAX} values, more than
{limits.PHOTOS_MAX} photos or notes over {limits.NOTES_MAX} characters, or when a reported house's address is over
{limits.ADDRESS_MAX} characters. An error's `details` list at most {limits.ERROR_DETAILS_MAX} problems, then one
entry `more_problems` with the `count` of the rest.

An op's `error.code` (server/problems.py): {problems.op_codes()}."""

CURSOR_PATTERN = r"^[0-9]{1,18}$"  # documented in the schema; checked here for a message that says what to do


class SyncController(Controller):
    path = "/api/v1/sync"
    tags = ["sync"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]
    guards = [CARRIER_DEVICE]

    @get("/pull", responses=error_responses(400, 401, 403))
    async def pull(self, state: State, user: NamedDependency[User], since: Annotated[str | None, QueryParameter(
            description="cursor from the previous pull", schema_extra={"pattern": CURSOR_PATTERN})] = None) -> PullOut:
        """The caller's open tasks, their properties and rubrics; with `since`, only what changed."""
        cursor = None
        if since is not None:
            if not re.fullmatch(CURSOR_PATTERN, since):
                raise problems.INVALID_CURSOR()
            cursor = int(since)
        async with state.db.read() as conn:
            return await pull(conn, state.rubrics, user.id, user.office_code, cursor)

    @post("/push", status_code=200, responses=error_responses(400, 401, 403, 413), request_max_body_size=PUSH_MAX_BYTES,
          description=PUSH_DESCRIPTION, opt={"text_checked_per_op": True}, dependencies={"push_queue": Provide(provide_push_queue, sync_to_thread=False)})
    async def push(self, request: Request, push_queue: NamedDependency[PushQueue], user: NamedDependency[User],
                   data: JSONBody[PushIn]) -> PushOut:
        # Litestar decodes leniently (e.g. 0 as a datetime); the records are read again strictly here.
        try:
            device_id, ops = decode_ops(await request.body())
        except msgspec.ValidationError as exc:
            raise problems.INVALID_REQUEST(details=str(exc)) from exc
        except RecursionError:
            raise too_deep() from None
        except DeviceIdControlChars:
            raise control_character("device_id") from None
        actor = actor_for(request, user)
        actor = msgspec.structs.replace(actor, device_id=device_id[:100])
        results = await push_queue.push(PushRequest(user, actor, device_id, ops))
        return PushOut(results)
