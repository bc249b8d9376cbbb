"""The one signed-in HTTP client of the tests: a persona signed in with a Bearer token, as the field
app is. It wraps any httpx client: Litestar's in-process TestClient or an httpx.Client on a live
server (`LiveServer.session(login)`); paths are the server's own (`/api/v1/...`)."""

from __future__ import annotations

import httpx

from tests.support.world import PASSWORD


class Session:
    """`aoki = Session(http, "aoki")`; `aoki.get(...)`, `aoki.push(ops)`, `aoki.put_photo(id, data)`."""

    def __init__(self, http: httpx.Client, login: str, password: str = PASSWORD):
        self.client = http
        self.login = login
        response = http.post("/api/v1/auth/login", json={"login": login, "password": password})
        assert response.status_code == 200, response.text
        self.token: str = response.json()["token"]
        self.user: dict = response.json()["user"]
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def request(self, method: str, url: str, **kw) -> httpx.Response:
        return self.client.request(method, url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def get(self, url, **kw) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url, **kw) -> httpx.Response:
        return self.request("POST", url, **kw)

    def put(self, url, **kw) -> httpx.Response:
        return self.request("PUT", url, **kw)

    def head(self, url, **kw) -> httpx.Response:
        return self.request("HEAD", url, **kw)

    def push(self, ops: list[dict], device_id: str = "phone-1") -> list[dict]:
        response = self.post("/api/v1/sync/push", json={"device_id": device_id, "ops": ops})
        assert response.status_code == 200, response.text
        return response.json()["results"]

    def pull(self, since: str | None = None) -> dict:
        response = self.get("/api/v1/sync/pull", params={"since": since} if since else None)
        assert response.status_code == 200, response.text
        return response.json()

    def put_photo(self, photo_id: str, data: bytes, headers: dict | None = None) -> httpx.Response:
        return self.put(f"/api/v1/photos/{photo_id}", content=bytes(data),
                        headers={"Content-Type": "image/jpeg", **(headers or {})})


def problem(response: httpx.Response) -> dict:
    """An error body without its request id (each response has its own): what two answers can share."""
    return {key: value for key, value in response.json().items() if key != "request_id"}
