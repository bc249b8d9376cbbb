"""GET /api/v1/inspections/{id} and POST /api/v1/inspections/{id}/review."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from server.errors import BadRequest, Conflict, Forbidden, not_found
from server.inspections.queries import InspectionOut, inspection_for, record_review, review_target
from server.users.queries import User
from server.web import actor_for, error_responses, provide_user


class ReviewIn(msgspec.Struct):
    decision: Literal["approve", "return"]
    comment: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class InspectionController(Controller):
    path = "/api/v1/inspections"
    tags = ["inspections"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]

    @get("/{inspection_id:str}", responses=error_responses(401, 404))
    async def show(self, state: State, user: NamedDependency[User], inspection_id: FromPath[str]) -> InspectionOut:
        """An inspection with its result and which photos have arrived (with evidence flags)."""
        async with state.db.read() as conn:
            found = await inspection_for(conn, user, inspection_id)
        if found is None:
            raise not_found("記録")
        return found

    @post("/{inspection_id:str}/review", status_code=200, responses=error_responses(400, 401, 403, 404, 409))
    async def review(self, request: Request, state: State, user: NamedDependency[User],
                     inspection_id: FromPath[str], data: JSONBody[ReviewIn]) -> InspectionOut:
        """Approve, or return to the carrier with a comment (office of the inspection, admin)."""
        if user.role not in ("office", "admin"):
            if user.role in ("carrier", "municipality", "owner"):
                async with state.db.read() as conn:
                    if await inspection_for(conn, user, inspection_id) is None:
                        raise not_found("記録")
            raise Forbidden("reviewers_only", "確認（承認・差し戻し）は郵便局の担当者だけができます。")
        comment = data.comment.strip()
        if data.decision == "return" and not comment:
            raise BadRequest("comment_required", "差し戻すときは、配達員が直せるように理由を書いてください。")

        async def decide(conn):
            target = await review_target(conn, user, inspection_id)
            if target is None:
                raise not_found("記録")
            if target.status != "submitted":
                raise Conflict("not_reviewable", _NOT_REVIEWABLE.get(target.status, "この記録は確認できません。"))
            await record_review(conn, actor_for(request, user), target, user.id, data.decision, comment)

        await state.db.write(decide)
        async with state.db.read() as conn:
            return await inspection_for(conn, user, inspection_id)


_NOT_REVIEWABLE = {
    "awaiting_photos": "写真がまだすべて届いていません。届いてから確認してください。",
    "approved": "この記録は既に承認されています。",
    "returned": "この記録は既に差し戻されています。訂正が届くのを待ってください。",
    "superseded": "この記録は訂正版に置き換えられています。訂正版を確認してください。",
}
