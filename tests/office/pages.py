"""Signing in to the office pages from a test client, and the CSRF token its forms carry."""

from __future__ import annotations

import re

from tests.support.world import PASSWORD

_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/office/login") -> str:
    response = client.get(url)
    match = _TOKEN.search(response.text)
    assert match, f"no CSRF token on {url}: {response.status_code}"
    return match[1]


def sign_in(client, login: str):
    """Sign in through the form, as a browser does; the session cookie stays in the client."""
    client.cookies.clear()
    response = client.post("/office/login", data={"login": login, "password": PASSWORD, "next": "/office/",
                                                   "_csrf_token": csrf_token(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def post_form(client, url: str, data: dict | None = None, page: str = "/office/", **kw):
    return client.post(url, data={**(data or {}), "_csrf_token": csrf_token(client, page)},
                       follow_redirects=False, **kw)
