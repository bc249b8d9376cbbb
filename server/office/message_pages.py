"""The owner's message thread with the post office: the owner writes from their page (/office/), the
office answers from the owner's page (/office/owners/{id}); both see the whole history."""

from __future__ import annotations

from litestar import Request, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.core.errors import AppError
from server.http.guards import CLERK_PAGE, OWNER_PAGE
from server.http.web import actor_for
from server.messages.queries import post_message, thread_for
from server.office.home_pages import OfficeController
from server.office.owner_home import owner_home
from server.office.pages import page
from server.subscriptions.owner_logins import owner_for
from server.users.queries import User

TYPED_MAX = 10_000  # characters kept of what was typed, to show it again with the error


class MessagePages(OfficeController):
    @post("/messages", guards=[OWNER_PAGE], status_code=303)
    async def owner_writes(self, request: Request, state: State, user: NamedDependency[User]) -> Redirect | Template:
        typed = str((await request.form()).get("message", ""))[:TYPED_MAX]
        try:
            await state.db.write(post_message, actor_for(request, user), user, typed,
                                 office_mail=bool(state.settings.office_mail_to))
        except AppError as exc:
            if exc.status == 404:
                raise
            return await owner_home(request, state, user, exc.status, message_error=exc.message, typed=typed)
        return Redirect("/office/?msg=message_sent#messages", status_code=303)

    @post("/owners/{owner_id:int}/messages", guards=[CLERK_PAGE], status_code=303)
    async def office_writes(self, request: Request, state: State, user: NamedDependency[User],
                            owner_id: FromPath[int]) -> Redirect | Template:
        typed = str((await request.form()).get("message", ""))[:TYPED_MAX]
        try:
            await state.db.write(post_message, actor_for(request, user), user, typed, owner_id)
        except AppError as exc:
            if exc.status == 404:
                raise
            async with state.db.read() as conn:
                owner = await owner_for(conn, user, owner_id)
                return page("owner.html", user, request, status_code=exc.status, owner=owner,
                            thread=await thread_for(conn, user, owner_id), message_error=exc.message, typed=typed)
        return Redirect(f"/office/owners/{owner_id}?msg=message_sent#messages", status_code=303)
