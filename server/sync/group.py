"""Group commit for pushes: requests that arrive while a transaction is running wait together
and share the next one. One phone alone still gets its own transaction at once; sixteen phones
pushing one op each cost a handful of transactions instead of sixteen. A response is sent only
after the transaction holding its ops has committed.

Waiting for a running transaction is not enough once a process has time to spare: with two server
processes (`serve --workers 2`) on PostgreSQL, nearly every single-op push found no transaction
running and took one of its own (2,059 transactions for 3,200 pushes, against 419 in one process),
and each transaction's fixed round trips (BEGIN, the prefetch SELECTs, one sync per executemany,
COMMIT) doubled the CPU per push. So a push request is announced as soon as its headers arrive
(`announce_pushes`, around the app), and a transaction about to start waits, GATHER_SECONDS at most,
for the announced ones still on their way (body, sign-in) to join it: 1,320 transactions instead of
2,059, 14–22% less CPU per push, in three alternated runs (README, "serve --workers"). A phone pushing
alone announces nothing else and waits for nothing; a push refused before the queue stops counting
when its request ends."""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from litestar.datastructures import State

from server.db import Database
from server.rubrics import RubricRegistry
from server.sync.push import PushRequest, apply_pushes
from server.sync.schemas import OpResult

log = logging.getLogger("akiya")

PUSH_PATH = "/api/v1/sync/push"
GATHER_SECONDS = 0.002  # the longest a transaction waits for announced pushes: about one transaction on PostgreSQL
_ANNOUNCED = "akiya.push_announced"  # scope key: this request is counted in PushQueue.announced


class PushQueue:
    """The one queue every push request goes through (created with the database in the app's lifespan)."""

    def __init__(self, db: Database, rubrics: RubricRegistry, max_ops: int = 2000):
        self.db = db
        self.rubrics = rubrics
        self.max_ops = max_ops
        self._pending: list[tuple[PushRequest, asyncio.Future]] = []
        self._worker: asyncio.Task | None = None
        self.announced = 0  # push requests begun (headers in) that have not reached push() yet
        self._joined: asyncio.Future | None = None  # set when an announced push joins the queue

    async def push(self, request: PushRequest, scope: dict | None = None) -> list[OpResult]:
        """Apply one request's ops in the next transaction; its results once that has committed.
        `scope`: the HTTP request's, so that an announced request stops counting as on its way."""
        if scope is not None:
            self.arrived(scope)
        future = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if self._joined is not None and not self._joined.done():
            self._joined.set_result(None)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain())
        return await future

    def announce(self, scope: dict) -> None:
        self.announced += 1
        scope[_ANNOUNCED] = True

    def arrived(self, scope: dict) -> None:
        """The request reached the queue, or ended without reaching it (refused, or the client left)."""
        if scope.pop(_ANNOUNCED, False):
            self.announced -= 1

    async def _gather(self) -> None:
        """Wait while announced pushes are on their way, GATHER_SECONDS at most."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + GATHER_SECONDS
        while self.announced > 0 and (left := deadline - loop.time()) > 0:
            self._joined = loop.create_future()
            try:
                await asyncio.wait_for(self._joined, left)
            except TimeoutError:
                return
            finally:
                self._joined = None

    def _take(self) -> list[tuple[PushRequest, asyncio.Future]]:
        group, ops = [], 0
        while self._pending and (not group or ops + len(self._pending[0][0].ops) <= self.max_ops):
            request, future = self._pending.pop(0)
            ops += len(request.ops)
            if not future.cancelled():
                group.append((request, future))
        return group

    async def _drain(self) -> None:
        while self._pending:
            if self.announced > 0:
                await self._gather()
            group = self._take()
            if not group:
                continue
            try:
                results = await self.db.write(apply_pushes, self.rubrics, [request for request, _ in group])
            except Exception as exc:
                if len(group) == 1:
                    _settle(group[0][1], error=exc)
                    continue
                log.exception("a group of %d pushes failed; applying them one by one", len(group))
                await self._one_by_one(group)
                continue
            for (_, future), result in zip(group, results):
                _settle(future, result)

    async def _one_by_one(self, group) -> None:
        for request, future in group:
            try:
                [result] = await self.db.write(apply_pushes, self.rubrics, [request])
            except Exception as exc:
                _settle(future, error=exc)
            else:
                _settle(future, result)


def start_push_queue(state: State, db: Database, rubrics: RubricRegistry) -> PushQueue:
    """Create the app's queue when the database opens; the push route receives it from provide_push_queue."""
    state.push_queue = PushQueue(db, rubrics)
    return state.push_queue


def announce_pushes(handler: Callable[..., Awaitable[None]], state: State) -> Callable[..., Awaitable[None]]:
    """The ASGI handler `handler`, announcing each push request to the app's queue as it begins."""

    async def announcing(scope, receive, send):
        queue = state.get("push_queue") if scope["type"] == "http" and scope["path"] == PUSH_PATH \
            and scope["method"] == "POST" else None
        if queue is None:
            await handler(scope, receive, send)
            return
        queue.announce(scope)
        try:
            await handler(scope, receive, send)
        finally:
            queue.arrived(scope)

    return announcing


def provide_push_queue(state: State) -> PushQueue:
    """Dependency for the push route: the app's queue, typed."""
    queue = state.push_queue
    assert isinstance(queue, PushQueue), "the push queue starts in the app's lifespan"
    return queue


def _settle(future: asyncio.Future, result=None, error: BaseException | None = None) -> None:
    if future.done():  # the client went away
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
