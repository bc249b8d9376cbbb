"""GET /api/v1/sync/pull and POST /api/v1/sync/push: the field app's two doors."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.dto import MsgspecDTO
from litestar.params import JSONBody, QueryParameter

from server.core import problems
from server.http.guards import CARRIER_DEVICE
from server.core import limits
from server.core.limits import PUSH_MAX_BYTES
from server.http.request_bounds import control_character, too_deep
from server.sync.group import PushQueue, provide_push_queue
from server.sync.pull import PullOut, pull
from server.observe.metrics import PUSH_OPS
from server.sync.push import PushRequest, op_type
from server.sync.schemas import DeviceIdControlChars, Op, PushIn, PushOut, Rejected, decode_ops
from server.users.queries import User
from server.http.web import actor_for, error_responses, provide_user

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.openapi.spec import Reference, Schema
    from litestar.typing import FieldDefinition


PUSH_DESCRIPTION = f"""Apply ops in order, each atomically on its own; one result per op
(applied | duplicate | rejected | conflict).

Limits (README: Input limits): a push is at most {limits.PUSH_MAX_BYTES:,} bytes (413) and
{limits.PUSH_MAX_OPS} ops (400). An op is rejected as `invalid_op`, before it is scored, when its inspection
has more than {limits.ANSWERS_MAX} answer keys, a key over {limits.ANSWER_KEY_MAX} characters, a text answer over
{limits.ANSWER_TEXT_MAX} characters, a multiple-choice answer over {limits.ANSWER_CHOICES_MAX} values, more than
{limits.PHOTOS_MAX} photos or notes over {limits.NOTES_MAX} characters, or when a reported house's address is over
{limits.ADDRESS_MAX} characters. An error's `details` list at most {limits.ERROR_DETAILS_MAX} problems, then one
entry `more_problems` with the `count` of the rest.

An op's `error.code` (server/core/problems.py): {problems.op_codes()}."""

class StrictPush(MsgspecDTO[PushIn]):
    """The push body, read once and strictly, op by op (`decode_ops`): Litestar's own decoding is
    lenient (0 would become a datetime). The schema documents it as PushIn."""

    def decode_bytes(self, value: bytes) -> tuple[str, list[Op | Rejected]]:  # type: ignore[override]
        try:
            return decode_ops(value)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise problems.INVALID_REQUEST(details=str(exc)) from exc
        except RecursionError:
            raise too_deep() from None
        except DeviceIdControlChars:
            raise control_character("device_id") from None

    @classmethod
    def create_openapi_schema(cls, field_definition: FieldDefinition, handler_id: str,
                              schema_creator: SchemaCreator) -> Reference | Schema:
        return schema_creator.for_field_definition(field_definition)  # PushIn as declared, limits included


def count_ops(ops, results) -> None:
    """akiya_push_ops_total: one count per op, by its type, result and refusal code."""
    for op, result in zip(ops, results):
        kind = "unknown" if isinstance(op, Rejected) else op_type(op)
        PUSH_OPS.labels(kind, result.status, result.error.code if result.error else "").inc()


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
          description=PUSH_DESCRIPTION, dto=StrictPush, return_dto=None, opt={"text_checked_per_op": True}, dependencies={"push_queue": Provide(provide_push_queue, sync_to_thread=False)})
    async def push(self, request: Request, push_queue: NamedDependency[PushQueue], user: NamedDependency[User],
                   data: JSONBody[PushIn]) -> PushOut:
        device_id, ops = data  # type: ignore[misc]  # StrictPush decoded the body (documented as PushIn)
        actor = actor_for(request, user)
        actor = msgspec.structs.replace(actor, device_id=device_id[:100])
        results = await push_queue.push(PushRequest(user, actor, device_id, ops), request.scope)
        count_ops(ops, results)
        return PushOut(results)
