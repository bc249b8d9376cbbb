"""The office map's data and page: Leaflet from the vendored static files, no inline script."""

import re

from tests.office.pages import sign_in


def test_the_map_data_lists_only_the_clerks_own_houses_with_their_status(client, world):
    sign_in(client, "ueda")
    houses = client.get("/office/map/houses.json").json()
    assert {h["label"] for h in houses} == {"東京都千代田区一番町1-1", "東京都千代田区二番町2-2"}
    assert all(h["status"] in ("flagged", "open", "ok", "candidate") for h in houses)
    sign_in(client, "ono")
    assert client.get("/office/map/houses.json").status_code == 403


def test_the_map_page_loads_leaflet_from_static_files_and_has_no_inline_script(client, world):
    sign_in(client, "ueda")
    page = client.get("/office/map").text
    assert '<script src="/office/static/vendor/leaflet/leaflet.js" defer></script>' in page
    assert all(re.search(r"\ssrc=", tag) for tag in re.findall(r"<script[^>]*>", page))  # every script is a file
    assert client.get("/office/static/vendor/leaflet/leaflet.js").status_code == 200
    assert "BSD" in client.get("/office/static/vendor/leaflet/LICENSE").text or \
        "Redistribution" in client.get("/office/static/vendor/leaflet/LICENSE").text
