"""/office/contracts (survey contracts: create from CSV, progress, results) and /office/candidates."""

from __future__ import annotations

import msgspec
from litestar import Request, get, post
from litestar.datastructures import State, UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.contracts.candidates import candidates_for, decide_candidate
from server.contracts.queries import (
    SURVEY_RUBRIC, NewContract, contract_choices, contract_results, contracts_for, create_contract,
)
from server.office.owner_data_pages import MESSAGES as OWNER_DATA_MESSAGES
from server.owner_data.queries import retention_of
from server.owner_data.retention import view_of
from server.users.access import acts_for_every_office, manages_owner_data, may_open_house_pages, sees_candidate_owners
from server.core.errors import AppError
from server.core.problems import not_found
from server.http.guards import CLERK_OR_MUNICIPALITY_PAGE, CLERK_PAGE
from server.core.limits import CSV_MAX_BYTES
from server.office.home_pages import OfficeController
from server.office.map_plot import plot
from server.office.pages import page
from server.properties.csv_import import CsvImportError, RowError, parse_properties_csv
from server.users.queries import User
from server.http.web import actor_for

SORTS = {"address": lambda r: (r.district, r.address), "likelihood": lambda r: "高中低".find(r.likelihood or "") % 4,
         "rank": lambda r: r.rank or "~", "total": lambda r: -(r.total or 0),
         "flags": lambda r: -len(r.flags), "date": lambda r: r.finished_at or ""}


def filter_results(rows, likelihood: str, rank: str, flag: str, district: str):
    return [r for r in rows
            if (not likelihood or r.likelihood == likelihood) and (not rank or r.rank == rank)
            and (not district or r.district == district)
            and (not flag or (flag == "any" and r.flags) or any(f.get("category") == flag for f in r.flags))]


class MapHouse(msgspec.Struct):
    """A contract house as a map point: flagged (所見あり), ok (所見なし) or open (結果なし)."""

    id: str
    address: str
    lat: float | None
    lon: float | None
    map_status: str


async def _contract_houses(state: State, user: User, contract_id: int):
    async with state.db.read() as conn:
        found = await contracts_for(conn, user, contract_id)
        if not found:
            raise not_found("調査契約")
        rows = await contract_results(conn, user, found[0])
    status = lambda r: "open" if r.inspection_id is None else "flagged" if r.flags else "ok"  # noqa: E731
    return found[0], [MapHouse(r.property_id, f"{r.address}（{_RESULT[status(r)]}）", r.lat, r.lon, status(r))
                      for r in rows]


_RESULT = {"flagged": "所見あり", "ok": "所見なし", "open": "結果なし（未調査・確認待ち）"}


class ContractPages(OfficeController):
    async def _index(self, request, state, user, status_code=200, **extra) -> Template:
        async with state.db.read() as conn:
            contracts = await contracts_for(conn, user)
            offices, municipalities = await contract_choices(conn) if acts_for_every_office(user) else ([], [])
        return page("contracts.html", user, request, status_code=status_code, contracts=contracts, offices=offices,
                    municipalities=municipalities, **extra)

    @get("/contracts", guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def index(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        return await self._index(request, state, user)

    @post("/contracts", status_code=303, guards=[CLERK_PAGE])
    async def create(self, request: Request, state: State, user: NamedDependency[User]) -> Redirect | Template:
        """A contract from a CSV of addresses: every row error is shown and nothing is stored.
        A clerk's contract is their office's; an admin chooses the office and municipality."""
        form = await request.form()
        new = NewContract(*(str(form.get(name, "")) for name in
                            ("title", "period_start", "period_end", "office_code", "municipality_code",
                             "contract_no", "houses_in_area")))
        upload = form.get("file")
        data = await upload.read() if isinstance(upload, UploadFile) else b""
        try:
            if len(data) > CSV_MAX_BYTES:
                raise CsvImportError([RowError(0, f"CSV が大きすぎます（{CSV_MAX_BYTES // 1_000_000} MB まで）。分けて登録してください。")])
            rows = parse_properties_csv(data)
            version = state.rubrics.latest(SURVEY_RUBRIC).version
            contract_id = await state.db.write(create_contract, actor_for(request, user), user, new, rows, version)
        except CsvImportError as exc:
            return await self._index(request, state, user, 400, row_errors=exc.errors, form=new)
        except AppError as exc:
            return await self._index(request, state, user, exc.status, error=exc.message, form=new)
        return Redirect(f"/office/contracts/{contract_id}", status_code=303)

    @get("/contracts/{contract_id:int}", guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def show(self, request: Request, state: State, user: NamedDependency[User], contract_id: FromPath[int],
                   likelihood: FromQuery[str] = "", rank: FromQuery[str] = "", flag: FromQuery[str] = "", district: FromQuery[str] = "",
                   sort: FromQuery[str] = "address", msg: FromQuery[str] = "") -> Template:
        async with state.db.read() as conn:
            found = await contracts_for(conn, user, contract_id)
            if not found:
                raise not_found("調査契約")
            rows = await contract_results(conn, user, found[0])
            retention = view_of(await retention_of(conn, user, contract_id)) if manages_owner_data(user) else None
        shown = sorted(filter_results(rows, likelihood, rank, flag, district), key=SORTS.get(sort, SORTS["address"]))
        return page("contract.html", user, request, contract=found[0], rows=shown, all_count=len(rows),
                    retention=retention, done=OWNER_DATA_MESSAGES.get(msg, ""),
                    offers_akiya_bank=sees_candidate_owners(user),
                    districts=sorted({r.district for r in rows if r.district}),
                    ranks=sorted({r.rank for r in rows if r.rank}),
                    filters={"likelihood": likelihood, "rank": rank, "flag": flag, "district": district, "sort": sort})

    @get("/contracts/{contract_id:int}/map", guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def map(self, request: Request, state: State, user: NamedDependency[User],
                  contract_id: FromPath[int]) -> Template:
        """The contract's houses on a map, for the office and the municipality alike."""
        contract, houses = await _contract_houses(state, user, contract_id)
        settings = state.settings
        return page("contract_map.html", user, request, contract=contract, plot=plot(houses, settings.tile_url),
                    tile_url=settings.tile_url, attribution=settings.tile_attribution,
                    unplaced=sum(h.lat is None for h in houses), links=may_open_house_pages(user))

    @get("/contracts/{contract_id:int}/map/houses.json", guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def map_houses(self, state: State, user: NamedDependency[User], contract_id: FromPath[int]) -> list[dict]:
        """The contract's houses with their survey result, for static/map.js (a house page link for the office)."""
        _, houses = await _contract_houses(state, user, contract_id)
        return [{"id": h.id, "lat": h.lat, "lon": h.lon, "status": h.map_status, "label": h.address,
                 **({"href": f"/office/properties/{h.id}"} if may_open_house_pages(user) else {})}
                for h in houses if h.lat is not None and h.lon is not None]

    @get("/candidates", guards=[CLERK_OR_MUNICIPALITY_PAGE])
    async def candidates(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        async with state.db.read() as conn:
            found = await candidates_for(conn, user)
        return page("candidates.html", user, request, candidates=found, msg=request.query_params.get("msg"))

    @post("/candidates/{property_id:str}/{decision:str}", status_code=303, guards=[CLERK_PAGE])
    async def decide(self, request: Request, state: State, user: NamedDependency[User],
                     property_id: FromPath[str], decision: FromPath[str]) -> Redirect:
        if decision not in ("confirm", "dismiss"):
            raise not_found("操作")
        await state.db.write(decide_candidate, actor_for(request, user), user, property_id, decision == "confirm")
        return Redirect(f"/office/candidates?msg={decision}", status_code=303)
