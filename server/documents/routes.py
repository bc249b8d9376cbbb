"""GET /api/v1/reports/...: the owner's monthly report, the post-disaster notice, the survey report."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, PathParameter, QueryParameter

import reports
from server.access import contract_condition, inspection_condition, property_condition
from server.documents import build
from server.errors import AppError, BadRequest, Unprocessable, not_found
from server.photos.store import PhotoStore
from server.users.queries import User
from server.web import error_responses, provide_user

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_SURVEY_FILE = re.compile(r"^(\d{1,9})\.(pdf|csv|geojson)$")
_MEDIA = {"pdf": "application/pdf", "csv": "text/csv", "geojson": "application/geo+json"}


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, no-store"})


async def _render(state: State, kind: str, document, substitute: bool) -> bytes:
    try:
        return await state.renderer.render(kind, document, substitute)
    except reports.FontNotFound as exc:
        raise AppError("fonts_missing", "報告書用の日本語フォントがサーバーにありません。管理者に連絡してください"
                       "（fonts-ipaexfont を入れるか AKIYA_FONT_GOTHIC を設定します）。", str(exc), status=503) from exc
    except reports.MissingGlyphs as exc:
        raise Unprocessable("missing_glyphs", str(exc),
                            {"fields": [{"field": m.field, "chars": m.chars} for m in exc.found],
                             "hint": "substitute=1 で〓に置き換えて作成できます。"}) from exc


class ReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]

    @get("/owner/{property_id:str}", responses=error_responses(400, 401, 404, 422, 503),
         response_description="PDF (application/pdf)")
    async def owner_monthly(self, state: State, user: NamedDependency[User], property_id: FromPath[str],
                            month: Annotated[str, QueryParameter(schema_extra={"pattern": _MONTH.pattern})],
                            substitute: FromQuery[bool] = False) -> Response:
        """空き家みまもり報告書 for one month (the owner of the house, its post office, admin)."""
        if not _MONTH.match(month):
            raise BadRequest("invalid_month", "month は 2026-11 のように「年-月」で指定してください。")
        await self._visible_property(state, user, property_id)
        async with state.db.read() as conn:
            document = await build.owner_monthly(conn, state.rubrics, PhotoStore(state.settings.photos_dir),
                                                 property_id, month,
                                                 owner_id=user.owner_id if user.role == "owner" else None)
        pdf = await _render(state, "owner_monthly", document, substitute)
        return _download(pdf, "application/pdf", f"みまもり報告書_{month}.pdf")

    @get("/disaster/{inspection_id:str}", responses=error_responses(400, 401, 404, 422, 503),
         response_description="PDF (application/pdf)")
    async def disaster_notice(self, state: State, user: NamedDependency[User], inspection_id: FromPath[str],
                              substitute: FromQuery[bool] = False) -> Response:
        """災害後見回り報告 for an approved post-disaster check (the owner, the post office, admin)."""
        if user.role not in ("owner", "office", "admin"):
            raise not_found("報告書")
        condition, params = inspection_condition(user)
        async with state.db.read() as conn:
            async with conn.execute(
                f"""SELECT 1 FROM inspections i JOIN properties p ON p.id = i.property_id
                    WHERE i.id = ? AND i.kind = 'disaster' AND {condition}""", (inspection_id, *params)) as cur:
                if await cur.fetchone() is None:
                    raise not_found("報告書")
            document = await build.disaster_notice(conn, state.rubrics, PhotoStore(state.settings.photos_dir),
                                                   inspection_id)
        pdf = await _render(state, "disaster_notice", document, substitute)
        return _download(pdf, "application/pdf", "災害後見回り報告.pdf")

    @get("/survey/{filename:str}", responses=error_responses(400, 401, 404, 422, 503),
         response_description="PDF, CSV (UTF-8 with BOM, or Shift_JIS) or GeoJSON")
    async def survey(self, state: State, user: NamedDependency[User],
                     filename: Annotated[str, PathParameter(schema_extra={"pattern": _SURVEY_FILE.pattern})],
                     encoding: Annotated[str, QueryParameter(schema_extra={"enum": ["utf-8", "shift_jis"]})] = "utf-8",
                     substitute: FromQuery[bool] = False) -> Response:
        """空き家調査報告書 of a survey contract as `{id}.pdf`, `{id}.csv` or `{id}.geojson`
        (the contract's municipality, its post office, admin). `?encoding=shift_jis` for the CSV."""
        match = _SURVEY_FILE.match(filename)
        if not match:
            raise BadRequest("invalid_file", "ファイル名は 12.pdf / 12.csv / 12.geojson の形で指定してください。")
        contract_id, ext = int(match[1]), match[2]
        if encoding not in ("utf-8", "shift_jis"):
            raise BadRequest("invalid_encoding", "encoding は utf-8 か shift_jis を指定してください。")
        condition, params = contract_condition(user)
        async with state.db.read() as conn:
            async with conn.execute(f"SELECT 1 FROM survey_contracts c WHERE c.id = ? AND {condition}",
                                    (contract_id, *params)) as cur:
                if await cur.fetchone() is None:
                    raise not_found("調査契約")
            document = await build.survey_report(conn, state.rubrics, PhotoStore(state.settings.photos_dir),
                                                 contract_id)
        name = f"空き家調査報告書_{contract_id}.{ext}"
        if ext == "pdf":
            return _download(await _render(state, "survey", document, substitute), _MEDIA[ext], name)
        if ext == "geojson":
            return _download(reports.survey_geojson(document), _MEDIA[ext], name)
        try:
            csv = reports.survey_csv(document, "shift_jis" if encoding == "shift_jis" else "utf-8-sig")
        except reports.CsvEncodingError as exc:
            raise Unprocessable("csv_encoding", str(exc)) from exc
        charset = "shift_jis" if encoding == "shift_jis" else "utf-8"
        return _download(csv, f"text/csv; charset={charset}", name)

    async def _visible_property(self, state: State, user: User, property_id: str) -> None:
        if user.role not in ("owner", "office", "admin"):
            raise not_found("報告書")
        condition, params = property_condition(user)
        async with state.db.read() as conn:
            async with conn.execute(f"SELECT 1 FROM properties p WHERE p.id = ? AND {condition}",
                                    (property_id, *params)) as cur:
                if await cur.fetchone() is None:
                    raise not_found("報告書")
