"""/office/contracts/{id}/owner-data/...: the town's officer or the admin changes how long the contract keeps
its owners' personal data, or deletes it now (with a confirmation). Shown on the contract's page
(server/office/contract_pages.py); the rules are server/owner_data/retention.py's."""

from __future__ import annotations

from litestar import Request, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from server.http.guards import CLERK_OR_MUNICIPALITY_PAGE
from server.http.web import actor_for
from server.office.home_pages import OfficeController
from server.owner_data.retention import change_keep_until, delete_now
from server.users.queries import User

MESSAGES = {"keep_until": "個人情報の保存期限を保存しました。", "deleted": "所有者の個人情報を削除しました。"}


class OwnerDataPages(OfficeController):
    @post("/contracts/{contract_id:int}/owner-data/keep-until", status_code=303, guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def keep_until(self, request: Request, state: State, user: NamedDependency[User],
                         contract_id: FromPath[int]) -> Redirect:
        form = await request.form()
        await state.db.write(change_keep_until, actor_for(request, user), user, contract_id,
                             str(form.get("keep_until", "")))
        return Redirect(f"/office/contracts/{contract_id}?msg=keep_until#owner-data", status_code=303)

    @post("/contracts/{contract_id:int}/owner-data/delete", status_code=303, guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def delete(self, request: Request, state: State, user: NamedDependency[User],
                     contract_id: FromPath[int]) -> Redirect:
        form = await request.form()
        await state.db.write(delete_now, actor_for(request, user), user, contract_id, form.get("confirm") == "yes")
        return Redirect(f"/office/contracts/{contract_id}?msg=deleted#owner-data", status_code=303)
