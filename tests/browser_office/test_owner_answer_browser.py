"""The owners' survey in Debian's Chromium against the demo town: office1 downloads the letters' PDF, and
an owner opens the QR code's URL on a phone, sees the house the letter was about, answers with large
controls and gets the confirmation; the same code opens the answer again on a PC. axe-core finds nothing
on the answer pages."""

from __future__ import annotations

import re
import subprocess

from tests.browser_office.conftest import screenshot
from tests.browser_office.test_owner_a11y_browser import PC, PHONE, axe_violations

CODE = re.compile(r"回答コード\s+([23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]{4})")


def _first_letter(pdf_path) -> tuple[str, str]:
    """(the printed code, the house's address) of the first letter in the PDF."""
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout
    house = re.search(r"対象の建物\s+(\S+)", text)[1]
    return CODE.search(text)[1], house


def test_an_owner_answers_on_a_phone_from_the_qr_url_and_sees_it_again_on_a_pc(new_page, tmp_path):
    clerk = new_page("office1")
    clerk.goto("/office/contracts/1/owner-letters")
    screenshot(clerk, "owner_letters_office")
    unanswered = clerk.locator("#letters ~ table tr", has_text="未回答").first.locator("td").first.inner_text()
    for box in clerk.locator("input[name=candidate]").all():
        box.uncheck()
    clerk.get_by_label(unanswered, exact=True).check()
    with clerk.expect_download() as download:
        clerk.get_by_role("button", name="選んだ候補の送付文書（PDF）を作る").click()
    pdf = tmp_path / "letters.pdf"
    download.value.save_as(pdf)
    code, house = _first_letter(pdf)

    phone = new_page(None, has_touch=True)
    phone.set_viewport_size(PHONE)
    phone.goto(f"/kaito/{code.replace('-', '')}")
    assert phone.get_by_label("回答コード").input_value() == code
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="次へ").click()
    assert phone.locator("#house").inner_text() == house
    phone.get_by_label("使っていない").check()
    phone.get_by_label("賃貸したい").check()
    phone.get_by_label("遠方で管理できない").check()
    phone.get_by_label("家財・仏壇などの片付け").check()
    phone.get_by_label("登録を希望する").check()
    phone.get_by_role("radio", name="連絡してよい").check()
    phone.get_by_role("textbox", name="ご連絡先（お名前・電話番号など。連絡してよい場合のみ）").fill("平日の夕方 090-0000-0000")
    assert axe_violations(phone) == []
    screenshot(phone, "owner_answer_phone")
    box = phone.get_by_role("button", name="回答を送る").bounding_box()
    assert box["height"] >= 44 and box["width"] <= PHONE["width"]
    phone.get_by_role("button", name="回答を送る").click()
    assert "回答を受け付けました" in phone.locator("h1").inner_text()
    assert house in phone.locator("main").inner_text()

    pc = new_page(None)
    pc.set_viewport_size(PC)
    pc.goto("/kaito/")
    pc.get_by_label("回答コード").fill(code.lower())
    pc.get_by_role("button", name="次へ").click()
    assert "前回の回答を表示しています" in pc.locator("main").inner_text()
    assert pc.get_by_label("賃貸したい").is_checked() and pc.get_by_label("家財・仏壇などの片付け").is_checked()
    screenshot(pc, "owner_answer_pc")


def test_a_wrong_code_gets_the_one_refusal_in_the_browser(new_page):
    page = new_page(None)
    page.set_viewport_size(PHONE)
    page.goto("/kaito/")
    page.get_by_label("回答コード").fill("2222-3333-4444")
    page.get_by_role("button", name="次へ").click()
    assert "この回答コードでは回答できません" in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []
