"""/kaito: the public answer page of the owners' survey (server/owner_survey/answers.py). No login: the
owner types the letter's 回答コード (or the QR code's URL fills it in), sees the address of the house the
letter was about, and answers; the answer can be changed with the same code until the deadline.

Opening the QR code's URL looks nothing up: the owner presses a button (a scanner or a preview that
fetches the URL spends no try). Every refusal is the same page; request logs name the route, never the
path, so the code is not logged."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from reports.dates import western_date
from server.auth import limits
from server.core import audit, problems
from server.core.errors import AppError
from server.office.pages import page
from server.owner_survey.answers import CODE_INPUT_MAX, answer_on_web, checked_answers, open_letter, wait_before_code
from server.owner_survey.codes import printed, normalised
from server.owner_survey.questionnaire import shipped


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


def _private(response: Template) -> Template:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _refused(request: Request, exc: AppError, code: str = "") -> Template:
    response = page("kaito.html", None, request, status_code=exc.status, error=exc.message, code=code)
    if isinstance(exc.details, dict) and "retry_after" in exc.details:
        response.headers["Retry-After"] = str(exc.details["retry_after"])
    return _private(response)


def _day(letter) -> str:
    """The deadline as the letter printed it: 2027年1月31日."""
    return western_date(date.fromisoformat(letter.answer_deadline))


def _form_values(form) -> dict:
    values = {}
    for question in shipped().questions:
        values[question.key] = form.getall(question.key, []) if question.type == "multi" else form.get(question.key, "")
    return values


class AnswerPages(Controller):
    path = "/kaito"
    include_in_schema = False

    @get("/")
    async def ask(self, request: Request) -> Template:
        return _private(page("kaito.html", None, request, code=""))

    @get("/{code:str}")
    async def from_qr(self, request: Request, code: FromPath[str]) -> Template:
        return _private(page("kaito.html", None, request, code=printed(normalised(code[:CODE_INPUT_MAX]))))

    @post("/", status_code=200)
    async def open(self, request: Request, state: State) -> Template:
        form = await request.form()
        typed = str(form.get("code", ""))[:CODE_INPUT_MAX]
        address = _address(request)
        if wait := await wait_before_code(state.db, typed, address):
            return _refused(request, limits.refusal(wait, "answer_code"), typed)
        letter = await state.db.write(open_letter, audit.Actor(None, None, address), typed, address)
        if letter is None:
            return _refused(request, problems.ANSWER_CODE_REFUSED(), typed)
        return _private(page("kaito_answer.html", None, request, letter=letter, code=printed(normalised(typed)),
                             questionnaire=shipped(), values=letter.answers or {}, deadline=_day(letter)))

    @post("/answer", status_code=200)
    async def answer(self, request: Request, state: State) -> Template:
        form = await request.form()
        typed = str(form.get("code", ""))[:CODE_INPUT_MAX]
        address = _address(request)
        if wait := await wait_before_code(state.db, typed, address):
            return _refused(request, limits.refusal(wait, "answer_code"), typed)
        values = _form_values(form)
        actor = audit.Actor(None, None, address)
        try:
            answers = checked_answers(values)
        except AppError as exc:
            letter = await state.db.write(open_letter, actor, typed, address)
            if letter is None:
                return _refused(request, problems.ANSWER_CODE_REFUSED(), typed)
            return _private(page("kaito_answer.html", None, request, status_code=exc.status, letter=letter,
                                 code=printed(normalised(typed)), questionnaire=shipped(), values=values,
                                 errors=exc.details, deadline=_day(letter)))
        letter = await state.db.write(answer_on_web, actor, typed, address, answers)
        if letter is None:
            return _refused(request, problems.ANSWER_CODE_REFUSED(), typed)
        return _private(page("kaito_done.html", None, request, letter=letter, code=printed(normalised(typed)),
                             deadline=_day(letter)))
