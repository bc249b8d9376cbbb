"""The field app runs under its Content-Security-Policy (issue 10, item 10). The carrier fixture
fails any browser test that raises a CSP violation; this test shows the policy is really in force
on the phone (an injected inline script is refused) while the app signs in and goes offline-capable."""

from tests.browser.carrier import Carrier


def test_the_field_app_works_under_a_policy_that_refuses_inline_script(server, phone):
    console: list[str] = []
    phone.on("console", lambda m: console.append(m.text))
    carrier = Carrier(phone.new_page(), server.app_url)
    response = carrier.page.goto(server.app_url)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "img-src 'self' blob: data:" in policy
    assert "frame-ancestors 'none'" in policy
    carrier.sign_in()
    carrier.wait_until_offline_capable()
    assert not [line for line in console if "Content Security Policy" in line]

    with carrier.page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        carrier.page.evaluate("""() => { const s = document.createElement("script");
                                         s.textContent = "window.__ran = true"; document.head.append(s); }""")
    assert carrier.page.evaluate("window.__ran") is None
