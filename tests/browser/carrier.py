"""A carrier using the field app on a phone-sized page: the steps the tests read as sentences."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.live_server import SAMPLE_PHOTOS
from tests.support.world import PASSWORD

SHOTS = Path("/tmp/akiya-shots")

# The seven required slots of watch_basic with sample photos (one stored on its side, one 12 MP original).
WATCH_PHOTOS = {
    "exterior_north": "p03_exterior_north.jpg",
    "exterior_east": "orientation_6.jpg",
    "exterior_south": "original_12mp.jpg",
    "exterior_west": "p20_overview.jpg",
    "entrance": "p47_entrance.jpg",
    "mailbox": "p55_mailbox.jpg",
    "garden": "p21_garden.jpg",
}
ALL_FINE_WATCH = {
    "exterior": "異常なし", "entrance_lock": "施錠あり", "entrance_area": "異常なし", "garden": "異常なし",
    "encroachment": "越境物なし", "dumping": "なし", "mailbox": "投函物なし",
}


class Carrier:
    def __init__(self, page: Page, app_url: str):
        self.page = page
        self.app_url = app_url

    def open_app(self) -> None:
        self.page.goto(self.app_url)

    def sign_in(self, login: str = "aoki") -> None:
        self.open_app()
        self.page.fill("#login", login)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        expect(self.page.locator(".tasks h1")).to_contain_text("今日の作業")
        expect(self.page.locator(".card").first).to_be_visible()

    def wait_until_offline_capable(self) -> None:
        """The service worker has precached the shell and controls this page."""
        self.page.evaluate("navigator.serviceWorker.ready")
        self.page.wait_for_function("navigator.serviceWorker.controller !== null")

    def task_cards(self):
        return self.page.locator("a.card[data-task]")

    def open_task(self, task_id: str) -> None:
        self.page.goto(f"{self.app_url}#/tasks")
        self.page.click(f"a.card[data-task='{task_id}']")
        expect(self.page.locator("section.form")).to_be_visible()

    def item(self, key: str):
        return self.page.locator(f"fieldset[data-key='{key}']")

    def choose(self, key: str, label: str) -> None:
        self.item(key).locator("label.choice", has_text=label).first.click()

    def answer_all(self, answers: dict[str, str]) -> None:
        for key, label in answers.items():
            self.choose(key, label)

    def type_number(self, key: str, value: str) -> None:
        self.item(key).locator("input").fill(value)

    def type_text(self, key: str, value: str) -> None:
        self.item(key).locator("textarea").fill(value)

    def take_photo(self, slot: str, file_name: str) -> None:
        self.page.set_input_files(f"input[data-slot='{slot}']", str(SAMPLE_PHOTOS / file_name))
        expect(self.page.locator(f".slot[data-slot='{slot}'] img.taken")).to_be_visible()

    def take_photos(self, photos: dict[str, str]) -> None:
        for slot, name in photos.items():
            self.take_photo(slot, name)

    def fill_watch_visit(self, airing: bool = True) -> None:
        self.answer_all(ALL_FINE_WATCH)
        if airing:
            self.choose("airing_done", "はい")
            self.type_number("airing_rooms", "4")
            self.type_number("airing_minutes", "30")
            self.choose("water_state", "異常なし")
        self.take_photos(WATCH_PHOTOS)

    def save(self) -> None:
        """Save, land on the task list (next house first, or 送信状況 for a report), then open 送信状況."""
        button = self.page.locator("button", has_text="保存する")
        expect(button).to_be_enabled()
        button.click()
        expect(self.page.locator("section.tasks, section.outbox").first).to_be_visible()
        if self.page.locator("section.tasks").count():
            self.page.click(".tabs a[data-tab='outbox']")
        expect(self.page.locator("section.outbox")).to_be_visible()

    def record(self, record_id: str):
        return self.page.locator(f".record[data-record='{record_id}']")

    def newest_record_id(self) -> str:
        return self.page.locator(".record").first.get_attribute("data-record")

    def sync_now(self) -> None:
        self.page.click("#sync-button")

    def screenshot(self, name: str, full_page: bool = False) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def answer_required_with_first_choices(carrier: Carrier) -> None:
    """Every visible required item answered like a quick carrier: first choice, lowest number, a short text.
    Multi items are left untouched ("none of these")."""
    page = carrier.page
    for _ in range(6):
        changed = page.evaluate("""() => {
            let changed = 0;
            for (const item of document.querySelectorAll("fieldset.item:not([hidden])")) {
                if (!item.querySelector(".req")) continue;
                const radios = item.querySelectorAll("input[type=radio]");
                const number = item.querySelector(".number input");
                const text = item.querySelector("textarea");
                if (radios.length && ![...radios].some((r) => r.checked)) { radios[0].closest("label").click(); changed++; }
                else if (number && number.value === "") { item.querySelectorAll(".step")[1].click(); changed++; }
                else if (text && text.value === "") {
                    text.value = "特になし"; text.dispatchEvent(new Event("input", {bubbles: true})); changed++;
                }
            }
            return changed;
        }""")
        if not changed:
            return


def take_required_photos(carrier: Carrier, file_name: str = "p01_overview.jpg") -> None:
    for slot in carrier.page.locator(".slot:has(.req)").all():
        carrier.take_photo(slot.get_attribute("data-slot"), file_name)
