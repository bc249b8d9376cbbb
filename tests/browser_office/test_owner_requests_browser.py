"""An owner asks from their page in a browser, the clerk answers from the queue, the owner reads the answer
(declined here: the demo server is shared by the browser tests, and a decline changes no subscription)."""

from __future__ import annotations

from tests.browser_office.conftest import screenshot


def test_an_owner_asks_for_a_quote_and_reads_the_offices_reason_for_declining(new_page):
    owner = new_page("owner1")
    owner.get_by_label("お見積りを依頼する作業").first.select_option(label="草刈")
    owner.get_by_label("ご要望（任意・500文字まで）").nth(1).fill("ブラウザからの依頼: 裏庭のみ")
    owner.get_by_role("button", name="見積りを依頼する").first.click()
    owner.wait_for_url("**/office/?msg=request_sent#requests")
    assert "ご要望を郵便局へお送りしました" in owner.content()
    screenshot(owner, "owner-request-sent")

    clerk = new_page("office1")
    clerk.goto("/office/requests")
    row = clerk.locator("tr", has_text="ブラウザからの依頼: 裏庭のみ")
    row.get_by_label("お断りする理由").fill("冬の間は草刈をお受けしていません。")
    row.get_by_role("button", name="お断りする").click()
    clerk.wait_for_url("**/office/requests?msg=decline*")
    screenshot(clerk, "office-requests")

    owner.goto("/office/#requests")
    answered = owner.locator("li", has_text="ブラウザからの依頼: 裏庭のみ")
    assert "お受けできませんでした" in answered.inner_text()
    assert "冬の間は草刈をお受けしていません。" in answered.inner_text()
    screenshot(owner, "owner-request-declined")
