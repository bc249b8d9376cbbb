"""An owner marks where they mean on last month's photo, in Chromium against the demo town at a phone's size:
the photo is chosen by its name, the cell of the 3×3 grid over it with the arrow keys (each cell at least
44 px), and the clerk's queue shows the photo with the marked cell drawn (declined afterwards: the demo
server is shared by the browser tests)."""

from __future__ import annotations

from tests.browser_office.conftest import SCREENSHOTS, screenshot

PHONE = {"width": 390, "height": 844}
SPOT = "ブラウザから: 印の場所の雨どい"


def test_an_owner_marks_a_cell_of_last_months_photo_and_the_clerk_sees_it_drawn(new_page):
    owner = new_page("owner1", viewport=PHONE)
    form = owner.locator("form.spot-form").first
    form.get_by_label("次回の見回りで撮影してほしい場所").fill(SPOT)
    chooser = form.locator("fieldset.mark-photos")
    photos = chooser.get_by_role("radio")
    assert photos.count() >= 2 and photos.first.is_checked()  # 「写真を使わない」 until one is chosen
    grid = form.locator(".mark-area-box")
    assert grid.is_hidden()
    photos.nth(1).check()
    assert grid.is_visible()
    cells = grid.get_by_role("radio")
    assert cells.count() == 9
    for box in (cells.nth(i).bounding_box() for i in range(9)):
        assert box["width"] >= 44 and box["height"] >= 44, box
    grid.get_by_role("radio", name="中央").focus()
    owner.keyboard.press("Space")
    owner.keyboard.press("ArrowRight")  # a radio group: the arrow keys move the choice
    assert grid.get_by_role("radio", name="右", exact=True).is_checked()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    form.screenshot(path=str(SCREENSHOTS / "owner-spot-mark-chosen.png"))
    form.get_by_role("button", name="撮影場所を伝える").click()
    owner.wait_for_url("**/office/?msg=request_sent#requests")
    sent = owner.locator("li", has_text=SPOT)
    assert "写真の印: 右" in sent.inner_text()
    assert sent.locator(".mark-box.cell-5").count() == 1

    clerk = new_page("office1")
    clerk.goto("/office/requests")
    row = clerk.locator("tr", has_text=SPOT)
    drawn = row.locator(".marked-frame")
    assert drawn.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    frame, box = drawn.bounding_box(), drawn.locator(".mark-box.cell-5").bounding_box()
    assert abs(box["x"] - (frame["x"] + frame["width"] * 2 / 3)) < 3 and abs(box["y"] - (frame["y"] + frame["height"] / 3)) < 3
    row.screenshot(path=str(SCREENSHOTS / "office-request-with-mark.png"))
    screenshot(clerk, "office-requests-with-mark")
    row.get_by_label("お断りする理由").fill("ブラウザのテストです。")
    row.get_by_role("button", name="お断りする").click()
    clerk.wait_for_url("**/office/requests?msg=decline*")

