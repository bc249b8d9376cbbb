"""Pushes that arrive together share a transaction, and each device still gets its own answers."""

import asyncio

import httpx

import server.sync.group as group
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
