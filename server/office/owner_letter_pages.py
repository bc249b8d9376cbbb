"""/office/contracts/{id}/owner-letters: the owners' survey by post (server/owner_survey/) for the
contract's post office and town: the town's letter text and deadline, which candidates get a letter
(default: surveyed with 空き家の可能性 高/中), the letters' PDF (only for those who may see owners), the
letters' state, postcards typed in and returned letters recorded. No owner's name on these pages."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.core import problems
from server.core.errors import AppError
from server.http.guards import CLERK_OR_MUNICIPALITY_PAGE
from server.http.web import actor_for
from server.office.home_pages import OfficeController
from server.office.pages import page
from server.owner_data.queries import deleted_on as owner_data_deleted_on
from server.owner_data.retention import deleted_text
from server.owner_survey import queries as q
from server.owner_survey.answers import checked_answers, mark_returned, type_in_postcard
from server.owner_survey.letters import default_selection, letter_settings, make_letters, save_letter_settings
from server.owner_survey.questionnaire import shipped
from server.survey_candidates.outcomes import outcome_of, surveyed_houses
from server.survey_candidates.queries import candidates_of_contract, contract_ref
from server.users.access import sees_candidate_owners
from server.users.queries import User

MESSAGES = {"settings": "文面と回答期限を保存しました。", "paper": "はがきの回答を記録しました。",
            "returned": "戻ってきた郵便を記録しました。"}


class OwnerLetterPages(OfficeController):
    async def _page(self, request, state, user, contract_id: int, status_code: int = 200, **extra) -> Template:
        async with state.db.read() as conn:
            contract = await contract_ref(conn, user, contract_id)
            candidates = await candidates_of_contract(conn, user, contract_id)
            surveyed = await surveyed_houses(conn, contract)
            settings = await letter_settings(conn, contract_id)
            letters = await q.letters_of_contract(conn, user, contract_id)
            # Ticked at first: 高/中 with an owner on file (no owner: nobody to write to) and no letter yet.
            owned = {c.id for c in candidates if c.has_owner} - {x.candidate_id for x in letters}
            selected = set(await default_selection(conn, user, contract_id)) & owned
            gone = await owner_data_deleted_on(conn, contract_id)
        return page("owner_letters.html", user, request, status_code=status_code, contract=contract,
                    candidates=candidates, outcomes={c.id: outcome_of(c, surveyed)[1] for c in candidates},
                    selected=selected, settings=settings, letters=letters, reasons=q.RETURN_REASONS,
                    returned=[x for x in letters if x.returned_reason],
                    may_make=sees_candidate_owners(user) and not gone,
                    owner_data_deleted=deleted_text(gone) if gone else "", **extra)

    @get("/contracts/{contract_id:int}/owner-letters", guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def index(self, request: Request, state: State, user: NamedDependency[User], contract_id: FromPath[int],
                    msg: FromQuery[str] = "") -> Template:
        return await self._page(request, state, user, contract_id, done=MESSAGES.get(msg, ""))

    @post("/contracts/{contract_id:int}/owner-letters/settings", status_code=303, guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def settings(self, request: Request, state: State, user: NamedDependency[User],
                       contract_id: FromPath[int]) -> Template | Redirect:
        form = await request.form()
        try:
            await state.db.write(save_letter_settings, actor_for(request, user), user, contract_id,
                                 str(form.get("letter_text", "")), str(form.get("answer_deadline", "")))
        except AppError as exc:
            if exc.status == 404:
                raise
            return await self._page(request, state, user, contract_id, exc.status, error=exc.message)
        return Redirect(f"/office/contracts/{contract_id}/owner-letters?msg=settings", status_code=303)

    @post("/contracts/{contract_id:int}/owner-letters.pdf", status_code=200, guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def letters_pdf(self, request: Request, state: State, user: NamedDependency[User],
                          contract_id: FromPath[int]) -> Response:
        """New one-time codes for the chosen candidates and their letters; a letter printed before for one of
        them stops working (its code is replaced)."""
        form = await request.form()
        try:
            chosen = [int(v) for v in form.getall("candidate", [])]
        except ValueError:
            chosen = []
        batch = await state.db.write(make_letters, actor_for(request, user), user, contract_id, chosen or [],
                                     state.settings.base_url)
        pdf = await state.documents.pdf("owner_letters", batch.document)
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f"attachment; filename=owner_letters_{contract_id}.pdf",
            "Cache-Control": "private, no-store"})

    @get("/owner-letters/{letter_id:int}/paper", guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def paper_form(self, request: Request, state: State, user: NamedDependency[User],
                         letter_id: FromPath[int]) -> Template:
        return await self._paper_page(request, state, user, letter_id)

    async def _paper_page(self, request, state, user, letter_id: int, status_code: int = 200, **extra) -> Template:
        async with state.db.read() as conn:
            letter = await q.letter_of_contract(conn, user, letter_id)
        if letter is None:
            raise problems.not_found("送付文書")
        return page("owner_letter_paper.html", user, request, status_code=status_code, letter=letter,
                    questionnaire=shipped(), values=extra.pop("values", {}), **extra)

    @post("/owner-letters/{letter_id:int}/paper", status_code=303, guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def paper(self, request: Request, state: State, user: NamedDependency[User],
                    letter_id: FromPath[int]) -> Template | Redirect:
        form = await request.form()
        values = {x.key: form.getall(x.key, []) if x.type == "multi" else form.get(x.key, "")
                  for x in shipped().questions}
        try:
            answers = checked_answers(values)
        except AppError as exc:
            return await self._paper_page(request, state, user, letter_id, exc.status, values=values,
                                          errors=exc.details)

        await state.db.write(type_in_postcard, actor_for(request, user), user, letter_id, answers)
        contract_id = await self._contract_of(state, user, letter_id)
        return Redirect(f"/office/contracts/{contract_id}/owner-letters?msg=paper", status_code=303)

    @post("/owner-letters/{letter_id:int}/returned", status_code=303, guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def returned(self, request: Request, state: State, user: NamedDependency[User],
                       letter_id: FromPath[int]) -> Redirect:
        form = await request.form()
        await state.db.write(mark_returned, actor_for(request, user), user, letter_id, str(form.get("reason", "")))
        contract_id = await self._contract_of(state, user, letter_id)
        return Redirect(f"/office/contracts/{contract_id}/owner-letters?msg=returned", status_code=303)

    async def _contract_of(self, state, user, letter_id: int) -> int:
        async with state.db.read() as conn:
            return await q.contract_of_letter(conn, user, letter_id)
