"""GET /api/v1/reports/...: the owner's monthly report, the post-disaster notice, the survey report."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Request, Response, get
from litestar.response import Stream
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, PathParameter, QueryParameter

import msgspec

import reports
from server.users.access import owner_scope, prints_despite_missing_glyphs
from server.contracts.queries import contract_visible
from server.documents.build.akiya_bank import akiya_bank_list
from server.documents.service import DocumentService
from server.inspections.queries import visible_of_kind
from server.core import audit, problems
from server.core.problems import not_found
from server.http.guards import OWNER_DOCUMENTS
from server.properties.queries import property_visible
from server.users.queries import User
from server.http.web import actor_for, error_responses, provide_user

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_SURVEY_FILE = re.compile(r"^(\d{1,9})\.(pdf|csv|geojson|zip|shp\.zip|karte\.pdf)$")
_MEDIA = {"pdf": "application/pdf", "csv": "text/csv", "geojson": "application/geo+json", "zip": "application/zip",
          "shp.zip": "application/zip", "karte.pdf": "application/pdf"}


def _download(content: bytes, media_type: str, filename: str, encoding: str = "utf-8") -> Response:
    """`encoding` is the charset Litestar adds to a text/* type (the type itself never carries one)."""
    return Response(content, media_type=media_type, encoding=encoding, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, no-store"})


_STRICT = QueryParameter(description="true: refuse with 422 (missing_glyphs, naming each field) instead of printing "
                                      "〓 for characters no font has. Not for owners, who always get the document.")


def _strict(user: User, strict: bool) -> bool:
    """Owners never fail on a character; the office and the municipality may ask to."""
    return strict and not prints_despite_missing_glyphs(user)


async def _audit_export(state: State, actor: audit.Actor, contract_id: int, file: str, **details: str) -> None:
    """Who took which of a survey contract's deliverables (the owners' houses leave the system with them)."""
    async def record(conn):
        await audit.record(conn, actor, "survey.export", "survey_contract", contract_id,
                           {"file": file, **{k: v for k, v in details.items() if v}})
    await state.db.write(record)


async def _contract_file(state: State, user: User, pattern: re.Pattern, filename: str, encoding: str):
    """(contract id, file kind, the survey report's data) for `{id}.{kind}`; 404 for a contract not the user's."""
    match = pattern.match(filename)
    if not match:
        raise problems.INVALID_FILE()
    contract_id, ext = int(match[1]), match[2]
    if encoding not in ("utf-8", "shift_jis"):
        raise problems.INVALID_ENCODING()
    async with state.db.read() as conn:
        if not await contract_visible(conn, user, contract_id):
            raise not_found("調査契約")
    return contract_id, ext, await state.documents.survey_report(contract_id)


def _zip_stream(chunks, filename: str) -> Stream:
    return Stream(chunks, media_type=_MEDIA["zip"], headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}", "Cache-Control": "private, no-store"})


async def _csv_download(state: State, actor: audit.Actor, contract_id: int, file: str, encoding: str, name,
                        make) -> Response:
    """`make(codec)` as the CSV download in UTF-8 with BOM or Shift_JIS (what does not encode: 422), audited."""
    try:
        csv = make("shift_jis" if encoding == "shift_jis" else "utf-8-sig")
    except reports.CsvEncodingError as exc:
        raise problems.CSV_ENCODING(reason=str(exc)) from exc
    await _audit_export(state, actor, contract_id, file, encoding=encoding)
    sjis = encoding == "shift_jis"
    return _download(csv, "text/csv", name(contract_id, "csv_sjis" if sjis else "csv"),
                     encoding="shift_jis" if sjis else "utf-8")


_BANK_FILE = re.compile(r"^(\d{1,9})\.(csv|zip)$")


class ReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]

    @get("/owner/{property_id:str}", responses=error_responses(400, 401, 404, 422, 500, 503),
         response_description="PDF (application/pdf)", guards=[OWNER_DOCUMENTS])
    async def owner_monthly(self, state: State, user: NamedDependency[User], property_id: FromPath[str],
                            month: Annotated[str, QueryParameter(schema_extra={"pattern": _MONTH.pattern})],
                            strict: Annotated[bool, _STRICT] = False) -> Response:
        """空き家みまもり報告書 for one month (the owner of the house, its post office, admin)."""
        if not _MONTH.match(month):
            raise problems.INVALID_MONTH()
        async with state.db.read() as conn:
            if not await property_visible(conn, user, property_id):
                raise not_found("報告書")
        documents: DocumentService = state.documents
        pdf = await documents.owner_monthly_pdf(property_id, month,
                                                owner_id=owner_scope(user),
                                                strict=_strict(user, strict))
        return _download(pdf, "application/pdf", f"みまもり報告書_{month}.pdf")

    @get("/disaster/{inspection_id:str}", responses=error_responses(400, 401, 404, 422, 500, 503),
         response_description="PDF (application/pdf)", guards=[OWNER_DOCUMENTS])
    async def disaster_notice(self, state: State, user: NamedDependency[User], inspection_id: FromPath[str],
                              strict: Annotated[bool, _STRICT] = False) -> Response:
        """災害後見回り報告 for an approved post-disaster check (the owner, the post office, admin)."""
        async with state.db.read() as conn:
            if not await visible_of_kind(conn, user, inspection_id, "disaster"):
                raise not_found("報告書")
        pdf = await state.documents.disaster_notice_pdf(inspection_id, strict=_strict(user, strict))
        return _download(pdf, "application/pdf", "災害後見回り報告.pdf")

    @get("/survey/{filename:str}", responses=error_responses(400, 401, 404, 422, 500, 503),
         response_description="PDF, CSV (UTF-8 with BOM, or Shift_JIS), GeoJSON or a ZIP of the photos")
    async def survey(self, request: Request, state: State, user: NamedDependency[User],
                     filename: Annotated[str, PathParameter(schema_extra={"pattern": _SURVEY_FILE.pattern})],
                     encoding: Annotated[str, QueryParameter(schema_extra={"enum": ["utf-8", "shift_jis"]})] = "utf-8",
                     district: FromQuery[str] = "", strict: Annotated[bool, _STRICT] = False,
                     ref: Annotated[str, QueryParameter(description="整理番号: the カルテ of that one house")] = ""
                     ) -> Response | Stream:
        """空き家調査報告書 of a survey contract as `{id}.pdf`, `{id}.csv`, `{id}.geojson`, `{id}.shp.zip` (a
        Shapefile in JGD2011 with .prj, .cpg and 属性名一覧.csv, for the 統合型GIS), `{id}.karte.pdf` (空き家カルテ,
        one page per house; `?ref=0001` for one house) or `{id}.zip`
        (the approved photos' originals as received, EXIF kept, 整理番号_区分.jpg as the CSV names them, and
        写真一覧.csv with 撮影日時, position and SHA-256) for the contract's municipality,
        its post office and admin. `?encoding=shift_jis` for the CSV; `?district=大字` for the PDF of one
        大字 only (small enough to e-mail). Every download is audited (survey.export)."""
        contract_id, ext, document = await _contract_file(state, user, _SURVEY_FILE, filename, encoding)
        documents: DocumentService = state.documents
        name = reports.survey_file_name
        if ext == "pdf":
            if district:
                rows = [row for row in document.rows if (row.property.district or "（未設定）") == district]
                if not rows:
                    raise not_found(f"大字「{district}」の調査結果")
                document = msgspec.structs.replace(document, rows=rows, candidates=None)  # the whole contract's
            pdf = await documents.survey_pdf(document, strict=strict)
            await _audit_export(state, actor_for(request, user), contract_id, ext, district=district)
            return _download(pdf, _MEDIA[ext], name(contract_id, "pdf", district))
        actor = actor_for(request, user)
        if ext == "karte.pdf":
            if ref:
                rows = [row for row in document.rows if row.ref == ref]
                if not rows:
                    raise not_found(f"整理番号「{ref}」の調査結果")
                document = msgspec.structs.replace(document, rows=rows)
            pdf = await documents.house_karte_pdf(document, strict=strict)
            await _audit_export(state, actor, contract_id, ext, ref=ref)
            return _download(pdf, _MEDIA[ext], name(contract_id, "karte", ref))
        if ext == "geojson":
            await _audit_export(state, actor, contract_id, ext)
            return _download(reports.survey_geojson(document), _MEDIA[ext], name(contract_id, "geojson"))
        if ext == "shp.zip":
            try:
                shp = reports.survey_shapefile_zip(document, f"akiya_survey_{contract_id}")
            except reports.ShapefileEncodingError as exc:
                raise problems.CSV_ENCODING(reason=str(exc)) from exc
            await _audit_export(state, actor, contract_id, ext)
            return _download(shp, _MEDIA[ext], name(contract_id, "shp"))
        if ext == "zip":
            await _audit_export(state, actor, contract_id, ext)
            return _zip_stream(documents.survey_photo_zip(document), name(contract_id, "zip"))
        return await _csv_download(state, actor, contract_id, ext, encoding, name,
                                   lambda codec: reports.survey_csv(document, codec))

    @get("/akiya-bank/{filename:str}", responses=error_responses(400, 401, 404, 422, 500, 503),
         response_description="CSV (UTF-8 with BOM, or Shift_JIS) or a ZIP with the CSV, カルテ and photos")
    async def akiya_bank(self, request: Request, state: State, user: NamedDependency[User],
                         filename: Annotated[str, PathParameter(schema_extra={"pattern": _BANK_FILE.pattern})],
                         encoding: Annotated[str, QueryParameter(schema_extra={"enum": ["utf-8", "shift_jis"]})] = "utf-8",
                         strict: Annotated[bool, _STRICT] = False) -> Response | Stream:
        """空き家バンク候補一覧 of a survey contract as `{id}.csv` or `{id}.zip` (the CSV, and per house its
        空き家カルテ and photos): houses whose owner answered 売却したい or 賃貸したい and 空き家バンクへの登録を希望する,
        the owner's name and contact only where they agreed to be contacted. Only for those who may see the
        contract's owners (the town's officers, admin, the contract's clerks with the letters permission);
        404 for anyone else. Audited (candidate_owners.akiya_bank and survey.export)."""
        contract_id, ext, document = await _contract_file(state, user, _BANK_FILE, filename, encoding)
        documents: DocumentService = state.documents
        actor = actor_for(request, user)
        bank = await state.db.write(akiya_bank_list, actor, user, state.rubrics, document, contract_id)
        name = reports.akiya_bank_file_name
        if ext == "zip":
            chunks = await documents.akiya_bank_zip(document, bank, strict=strict)
            await _audit_export(state, actor, contract_id, "akiya_bank.zip")
            return _zip_stream(chunks, name(contract_id, "zip"))
        return await _csv_download(state, actor, contract_id, "akiya_bank.csv", encoding, name,
                                   lambda codec: reports.akiya_bank_csv(bank, codec))
