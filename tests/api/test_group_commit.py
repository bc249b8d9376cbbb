"""Pushes that arrive together share a transaction, and each device still gets its own answers."""

import asyncio

import httpx

import server.sync.group as group
from server.sync.push import PushRequest
from server.app import create_app
from tests.support.field import new_id
from tests.support.world import PASSWORD


def _report(house_lat: float) -> dict:
    return {"op_id": new_id(), "type": "property.report",
            "property": {"id": new_id(), "lat": house_lat, "lon": 139.75, "address_text": f"報告 {house_lat}"}}


def test_concurrent_pushes_are_grouped_and_each_gets_its_own_results(settings, world, monkeypatch):
    sizes = []
    original = group.apply_pushes

    async def counting(conn, rubrics, requests):
        sizes.append(len(requests))
        await asyncio.sleep(0.05)  # a slow disk: the other phones' pushes arrive meanwhile
        return await original(conn, rubrics, requests)

    monkeypatch.setattr(group, "apply_pushes", counting)

    async def run():
        app = create_app(settings)
        async with _Lifespan(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                tokens = {}
                for login in ("aoki", "kato"):
                    r = await client.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD})
                    tokens[login] = r.json()["token"]
                ops = [(("aoki", "kato")[n % 2], _report(35.60 + n / 1000)) for n in range(24)]
                answers = await asyncio.gather(*(
                    client.post("/api/v1/sync/push", json={"device_id": f"d-{login}", "ops": [op]},
                                headers={"Authorization": f"Bearer {tokens[login]}"})
                    for login, op in ops))
                return ops, answers

    ops, answers = asyncio.run(run())
    for (_, op), answer in zip(ops, answers):
        assert answer.status_code == 200
        assert answer.json()["results"] == [{"op_id": op["op_id"], "status": "applied"}]
    assert sum(sizes) == 24
    assert max(sizes) > 1  # some requests shared a transaction


class _Lifespan:
    """Run the app's startup and shutdown around the block (what a server does)."""

    def __init__(self, app):
        self.app = app

    async def __aenter__(self):
        self._cm = self.app.lifespan()
        await self._cm.__aenter__()

    async def __aexit__(self, *exc):
        await self._cm.__aexit__(*exc)


def _request(who: str) -> PushRequest:
    return PushRequest(user=None, actor=None, device_id=who, ops=[_report(35.62)])


class _Recorder:
    """A database whose write transactions only note how many push requests each one holds."""

    def __init__(self):
        self.sizes = []

    async def write(self, fn, rubrics, requests):
        self.sizes.append(len(requests))
        return [[] for _ in requests]


def test_a_transaction_waits_for_an_announced_push_to_join_it(monkeypatch):
    monkeypatch.setattr(group, "GATHER_SECONDS", 5.0)
    db = _Recorder()

    async def run():
        queue = group.PushQueue(db, rubrics=None)
        on_its_way = {}
        queue.announce(on_its_way)  # a second phone's headers are in; its body is still coming
        first = asyncio.create_task(queue.push(_request("first phone")))
        await asyncio.sleep(0.01)
        second = asyncio.create_task(queue.push(_request("second phone"), on_its_way))
        await asyncio.wait_for(asyncio.gather(first, second), 1)
        return queue

    queue = asyncio.run(run())
    assert db.sizes == [2]
    assert queue.announced == 0


def test_a_phone_pushing_alone_waits_for_nobody(monkeypatch):
    monkeypatch.setattr(group, "GATHER_SECONDS", 5.0)
    db = _Recorder()

    async def run():
        queue = group.PushQueue(db, rubrics=None)
        await asyncio.wait_for(queue.push(_request("the only phone")), 1)  # far less than the 5 s window

    asyncio.run(run())
    assert db.sizes == [1]


def test_an_announced_push_that_never_comes_holds_a_transaction_back_no_longer_than_the_window(monkeypatch):
    monkeypatch.setattr(group, "GATHER_SECONDS", 0.05)
    db = _Recorder()

    async def run():
        queue = group.PushQueue(db, rubrics=None)
        queue.announce({})  # its client went away before sending the body
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.wait_for(queue.push(_request("a phone")), 1)
        return loop.time() - started

    waited = asyncio.run(run())
    assert db.sizes == [1]
    assert 0.05 <= waited < 1


def test_every_push_request_is_announced_and_stops_counting_when_it_ends_accepted_or_refused(settings, world,
                                                                                         monkeypatch):
    announced = []
    original = group.PushQueue.announce
    monkeypatch.setattr(group.PushQueue, "announce", lambda self, scope: (announced.append(1), original(self, scope)))

    async def run():
        app = create_app(settings)
        async with _Lifespan(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                r = await client.post("/api/v1/auth/login", json={"login": "aoki", "password": PASSWORD})
                auth = {"Authorization": f"Bearer {r.json()['token']}"}
                accepted = await client.post("/api/v1/sync/push", headers=auth,
                                             json={"device_id": "d-aoki", "ops": [_report(35.61)]})
                refused = await client.post("/api/v1/sync/push", headers=auth, content=b"{not json")
                pulled = await client.get("/api/v1/sync/pull", headers=auth)
                return accepted.status_code, refused.status_code, pulled.status_code, app.state.push_queue.announced

    accepted, refused, pulled, still_counted = asyncio.run(run())
    assert (accepted, refused, pulled) == (200, 400, 200)
    assert len(announced) == 2  # the two pushes, not the login or the pull
    assert still_counted == 0
