"""Group commit for pushes: requests that arrive while a transaction is running wait together
and share the next one. One phone alone still gets its own transaction at once; sixteen phones
pushing one op each cost a handful of transactions instead of sixteen. A response is sent only
after the transaction holding its ops has committed."""

from __future__ import annotations

import asyncio
import logging

from litestar.datastructures import State

from server.db import Database
from server.rubrics import RubricRegistry
from server.sync.push import PushRequest, apply_pushes
from server.sync.schemas import OpResult

log = logging.getLogger("akiya")


class PushQueue:
    """The one queue every push request goes through (created with the database in the app's lifespan)."""

    def __init__(self, db: Database, rubrics: RubricRegistry, max_ops: int = 2000):
        self.db = db
        self.rubrics = rubrics
        self.max_ops = max_ops
        self._pending: list[tuple[PushRequest, asyncio.Future]] = []
        self._worker: asyncio.Task | None = None

    async def push(self, request: PushRequest) -> list[OpResult]:
        future = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain())
        return await future

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
