"""/office/contracts/{id}/survey-candidates: the town's candidate lists of a contract (候補の抽出): upload,
the clerk's queue of ambiguous addresses, each candidate's outcome, and the owners for those allowed."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State, UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.http.guards import CLERK_OR_MUNICIPALITY_PAGE, CLERK_PAGE
from server.http.web import actor_for
from server.office.home_pages import OfficeController
from server.office.pages import page
from server.owner_data.queries import deleted_on as owner_data_deleted_on
from server.owner_data.retention import deleted_text
from server.survey_candidates.csv_file import CandidateFileError
from server.survey_candidates.outcomes import LABELS, ORDER, outcome_of, reconcile, surveyed_houses
from server.survey_candidates.queries import (
    CLERK_OUTCOMES, candidates_of_contract, contract_of_candidate, contract_ref, house_addresses, owners_of_contract, resolve_candidate,
    set_outcome,
)
from server.survey_candidates.service import import_candidate_file
from server.users.access import sees_candidate_owners
from server.users.queries import User

MESSAGES = {"resolved": "照合を記録しました。", "outcome": "結果を記録しました。"}


class SurveyCandidatePages(OfficeController):
    async def _page(self, request, state, user, contract_id: int, status_code: int = 200, show_owners: bool = False,
                    **extra) -> Template:
        async with state.db.read() as conn:
            contract = await contract_ref(conn, user, contract_id)
            candidates = await candidates_of_contract(conn, user, contract_id)
            surveyed = await surveyed_houses(conn, contract)
            houses = await house_addresses(conn, [h for c in candidates for h in c.possible_houses])
            gone = await owner_data_deleted_on(conn, contract_id)
        owners = {}
        if show_owners and sees_candidate_owners(user) and not gone:
            shown = await state.db.write(owners_of_contract, actor_for(request, user), user, contract_id)
            owners = {o.candidate_id: o for o in shown}
        return page("survey_candidates.html", user, request, status_code=status_code, contract=contract,
                    candidates=candidates, queue=[c for c in candidates if c.match_state == "ambiguous"],
                    outcomes={c.id: outcome_of(c, surveyed) for c in candidates}, houses=houses,
                    tally=reconcile(candidates, surveyed), order=ORDER, labels=LABELS, clerk_outcomes=CLERK_OUTCOMES,
                    owners=owners, may_see_owners=sees_candidate_owners(user) and not gone,
                    owner_data_deleted=deleted_text(gone) if gone else "", **extra)

    @get("/contracts/{contract_id:int}/survey-candidates", guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def index(self, request: Request, state: State, user: NamedDependency[User], contract_id: FromPath[int],
                    owners: FromQuery[str] = "", msg: FromQuery[str] = "") -> Template:
        return await self._page(request, state, user, contract_id, show_owners=owners == "1",
                                done=MESSAGES.get(msg, ""))

    @post("/contracts/{contract_id:int}/survey-candidates", status_code=200, guards=[CLERK_PAGE])
    async def upload(self, request: Request, state: State, user: NamedDependency[User],
                     contract_id: FromPath[int]) -> Template:
        """A town's list: every row error shown and nothing stored, or the counts of what it added."""
        form = await request.form()
        upload = form.get("file")
        data = await upload.read() if isinstance(upload, UploadFile) else b""
        try:
            parsed, result = await import_candidate_file(state.db, actor_for(request, user), user, contract_id, data)
        except CandidateFileError as exc:
            return await self._page(request, state, user, contract_id, 400, row_errors=exc.errors,
                                    error_total=exc.total)
        return await self._page(request, state, user, contract_id, imported=result, encoding=parsed.encoding)

    @post("/survey-candidates/{candidate_id:int}/resolve", status_code=303, guards=[CLERK_PAGE])
    async def resolve(self, request: Request, state: State, user: NamedDependency[User],
                      candidate_id: FromPath[int]) -> Redirect:
        form = await request.form()

        async def decide(conn) -> int:
            contract_id = await contract_of_candidate(conn, user, candidate_id)
            await resolve_candidate(conn, actor_for(request, user), user, candidate_id, str(form.get("choice", "")))
            return contract_id
        contract_id = await state.db.write(decide)
        return Redirect(f"/office/contracts/{contract_id}/survey-candidates?msg=resolved", status_code=303)

    @post("/survey-candidates/{candidate_id:int}/outcome", status_code=303, guards=[CLERK_PAGE])
    async def outcome(self, request: Request, state: State, user: NamedDependency[User],
                      candidate_id: FromPath[int]) -> Redirect:
        form = await request.form()

        async def decide(conn) -> int:
            contract = await contract_ref(conn, user, await contract_of_candidate(conn, user, candidate_id))
            surveyed = await surveyed_houses(conn, contract)
            await set_outcome(conn, actor_for(request, user), user, candidate_id, str(form.get("outcome", "")),
                              str(form.get("reason", "")), set(surveyed))
            return contract.id
        contract_id = await state.db.write(decide)
        return Redirect(f"/office/contracts/{contract_id}/survey-candidates?msg=outcome", status_code=303)

