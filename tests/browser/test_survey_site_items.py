"""Survey v3 on the phone: the section 「敷地と接道」 (接道, 敷地の傾斜, 進入路) is drawn from the rubric's data like
every other section, with the 建築基準法 note beside 接道, and its answers reach the server."""

from playwright.sync_api import expect

from tests.browser.carrier import SHOTS
from tests.browser.test_survey_fast_path import SCREEN, Taps, carrier, saved_answers  # noqa: F401 (fixture)


def test_the_site_section_renders_from_the_rubric_and_its_answers_are_saved(server, carrier):  # noqa: F811
    taps = Taps(carrier)
    task = server.add_task("surveyed", kind="survey", rubric_id="municipal_survey", rubric_version=3)
    carrier.sign_in()
    taps.on(carrier.page.locator(f"a.card[data-task='{task}']"))
    expect(carrier.page.locator("section.form")).to_be_visible()
    site = carrier.page.locator("section[data-section='site']")
    expect(site.locator("h2")).to_have_text("敷地と接道（利活用判定のため・道路から確認）")
    road = carrier.item("road_access")
    for label in ("幅員4m以上の道路に接している", "幅員4m未満の道路に接している", "接道なし・不明"):
        expect(road.locator("label.choice", has_text=label)).to_have_count(1)
    expect(road).to_contain_text("第43条")
    SHOTS.mkdir(parents=True, exist_ok=True)
    road.screenshot(path=str(SHOTS / "survey-v3-road-390.png"))
    taps.section("vacancy", "not_applicable")
    taps.choose("current_state", "空き家の可能性 高")
    taps.choose("structure_type", "木造")
    taps.section("statutory", "unseen")
    taps.section("findings", "not_applicable")
    taps.choose("road_access", "幅員4m未満の道路に接している")
    taps.choose("slope", "傾斜地（擁壁・石積みで造成）")
    taps.section("site", "unseen")  # 進入路 cannot be seen: the section's one tap answers the rest
    carrier.take_photo("overview", "p01_overview.jpg")
    expect(carrier.page.locator(".result")).not_to_contain_text("未回答")
    site.screenshot(path=str(SHOTS / "survey-v3-site-390.png"))
    taps.on(carrier.page.locator("button", has_text="保存する"))
    expect(carrier.page.locator(".saved")).to_contain_text("次の家")
    answers = saved_answers(server, carrier, task)
    assert (answers["road_access"], answers["slope"], answers["access_path"]) == ("narrow", "sloped", "unseen")
