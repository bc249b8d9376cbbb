"""The office map in a real browser: Leaflet markers by status, pan and zoom, no tile server."""

from playwright.sync_api import expect

from tests.browser_office.conftest import screenshot


def test_the_map_shows_every_house_as_a_marker_and_zooms_without_any_tiles(new_page):
    clerk = new_page("office1")
    clerk.set_viewport_size({"width": 1366, "height": 900})
    errors = []
    clerk.on("pageerror", lambda error: errors.append(str(error)))
    clerk.goto("/office/map")
    holder = clerk.locator("#leaflet-map")
    expect(holder).to_be_visible()
    expect(holder).to_have_attribute("data-ready", str(len(clerk.request.get("/office/map/houses.json").json())))
    markers = clerk.locator("#leaflet-map path.house-marker")
    assert markers.count() > 10
    assert clerk.locator("#svg-map").count() == 0  # the script-free plot gave way to Leaflet
    assert clerk.evaluate("""() => { const box = document.getElementById('leaflet-map').getBoundingClientRect();
        return [...document.querySelectorAll('#leaflet-map path.house-marker')].every((m) => {
            const r = m.getBoundingClientRect(); const x = r.x + r.width / 2, y = r.y + r.height / 2;
            return r.width > 8 && x > box.left && x < box.right && y > box.top && y < box.bottom; }); }""")
    screenshot(clerk, "office_map_leaflet")
    zoom = int(holder.get_attribute("data-zoom"))
    clerk.locator(".leaflet-control-zoom-in").click()
    expect(holder).to_have_attribute("data-zoom", str(zoom + 1))  # zoomed in by one level
    expect(markers.first).to_be_attached()
    assert errors == []


def test_the_municipal_officer_sees_the_contracts_houses_on_a_map(new_page):
    town = new_page("town1")
    town.set_viewport_size({"width": 1366, "height": 900})
    errors = []
    town.on("pageerror", lambda error: errors.append(str(error)))
    response = town.goto("/office/contracts/1/map")
    assert response.status == 200
    houses = town.request.get("/office/contracts/1/map/houses.json").json()
    assert len(houses) > 10 and all("href" not in h for h in houses)
    holder = town.locator("#leaflet-map")
    expect(holder).to_have_attribute("data-ready", str(len(houses)))
    assert town.locator("#leaflet-map path.house-marker").count() == len(houses)
    screenshot(town, "town_contract_map")
    assert errors == []
