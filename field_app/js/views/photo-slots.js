// The rubric's photo slots: take (or retake) each with the camera, see the thumbnail. Each
// photo is shrunk on the phone and stored in IndexedDB at once, so a tab killed while the
// camera app is open loses nothing.

import { h } from "../dom.js";
import { shrinkPhoto } from "../photo-shrink.js";
import { storePhoto, photoRow } from "../records.js";

export class PhotoSlots {
  constructor({ rubric, draft, tracker, onChange, waivers = new Map() }) {
    this.draft = draft;
    this.waivers = waivers; // slot key -> the field of its waiver item (撮影できない理由)
    this.tracker = tracker;
    this.onChange = onChange;
    this.busy = 0;
    this.slots = new Map();
    this.container = h("section.photos", h("h2", "写真"),
      h("p.help", "枠ごとに撮影してください。撮り直すと前の写真と置き換わります。"),
      h("div.slots", rubric.photo_slots.map((slot) => this.renderSlot(slot))));
  }

  renderSlot(slot) {
    const picture = h("div.placeholder", "未撮影");
    const status = h("p.help", { role: "status" });
    const input = h("input.visually-hidden", { type: "file", accept: "image/jpeg", capture: "environment" });
    input.dataset.slot = slot.key;
    const button = h("label.btn", input, h("span", "撮影する"));
    const element = h("div.slot", { dataset: { slot: slot.key } },
      h("span.label", slot.label, slot.required ? h("span.req", "必須") : null),
      slot.help ? h("p.help", slot.help) : null, picture, button, status,
      this.waiverBox(slot));
    const view = { element, picture, status, button };
    this.slots.set(slot.key, view);
    input.addEventListener("change", () => {
      if (input.files[0]) this.take(slot, input.files[0]);
      input.value = "";
    });
    const stored = this.draft.photos[slot.key];
    if (stored) photoRow(stored.id).then((row) => row && this.show(slot.key, row.blob));
    return element;
  }

  // The reason a slot cannot be photographed, folded away until needed (open when one is chosen).
  waiverBox(slot) {
    const field = this.waivers.get(slot.key);
    if (!field) return null;
    const box = h("details.waiver", h("summary", "撮影できないとき"), field);
    box.open = Boolean(field.querySelector("input:checked"));
    return box;
  }

  show(key, blob) {
    const view = this.slots.get(key);
    const img = h("img", { src: URL.createObjectURL(blob), alt: `${view.element.querySelector(".label").firstChild.textContent}の写真` });
    img.addEventListener("load", () => URL.revokeObjectURL(img.src), { once: true });
    view.picture.replaceWith(img);
    view.picture = img;
    view.button.querySelector("span").textContent = "撮り直す";
  }

  async take(slot, file) {
    const view = this.slots.get(slot.key);
    this.busy += 1;
    view.status.textContent = "写真を縮小しています…";
    this.onChange();
    try {
      const shrunk = await shrinkPhoto(file);
      const fix = this.tracker.latest;
      const photo = {
        id: crypto.randomUUID(), owner: this.draft.id, slot: slot.key, blob: shrunk.blob, sha256: shrunk.sha256,
        device_lat: fix?.lat ?? null, device_lon: fix?.lon ?? null, taken_at: new Date().toISOString(),
      };
      await storePhoto(photo, this.draft.photos[slot.key]?.id);
      this.draft.photos[slot.key] = {
        id: photo.id, sha256: photo.sha256, device_lat: photo.device_lat, device_lon: photo.device_lon,
      };
      this.show(slot.key, shrunk.blob);
      view.status.textContent = "";
    } catch (error) {
      console.error(error);
      view.status.textContent = "この写真を読み込めません。もう一度撮影してください。";
    } finally {
      this.busy -= 1;
      this.onChange();
    }
  }

  showErrors(slotKeys) {
    for (const [key, view] of this.slots) view.element.classList.toggle("has-error", slotKeys.has(key));
  }
}
