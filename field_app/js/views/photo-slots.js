// The rubric's photo slots: take (or retake) each with the camera, see the thumbnail. Until a
// photo is taken the slot shows last approved visit's photo (a framing guide, cached offline)
// so the angle stays the same each month. Each photo is shrunk on the phone and stored in
// IndexedDB at once, so a tab killed while the camera app is open loses nothing.

import { h } from "../dom.js";
import { guideBlob } from "../guides.js";
import { shrinkPhoto } from "../photo-shrink.js";
import { storePhoto, photoRow } from "../records.js";

export class PhotoSlots {
  constructor({ rubric, draft, tracker, onChange, waivers = new Map(), guides = [], help = null }) {
    // A slot of another work (option_work's requires_option) is never drawn on this task: no help line for it.
    const ofTask = (slot) => (slot.requires_option ?? null) === null || (draft.options ?? []).includes(slot.requires_option);
    this.guides = new Map(guides.map((g) => [g.slot, g.id]));
    this.draft = draft;
    this.waivers = waivers; // slot key -> the field of its waiver item (撮影できない理由)
    this.tracker = tracker;
    this.onChange = onChange;
    this.busy = 0;
    this.slots = new Map();
    this.container = h("section.photos", h("h2", "写真"),
      h("p.help", help ?? (this.guides.size ? "薄い写真は前回のものです。同じ位置・角度で撮ってください。"
        : "枠ごとに撮影します（撮り直すと置き換わります）。")),
      h("div.slots", rubric.photo_slots.map((slot) => this.renderSlot(slot))),
      rubric.photo_slots.some((slot) => slot.help && ofTask(slot))
        ? h("ul.slot-help", rubric.photo_slots.filter((slot) => slot.help && ofTask(slot)).map((slot) => h("li", `${slot.label}: ${slot.help}`)))
        : null);
  }

  renderSlot(slot) {
    const picture = h("div.placeholder", "未撮影");
    const status = h("p.help", { role: "status" });
    const input = h("input.visually-hidden", { type: "file", accept: "image/jpeg", capture: "environment" });
    input.dataset.slot = slot.key;
    // The picture is the button: one glove-sized target per slot, the caption says what a tap does.
    const button = h("label.shot", input, picture, h("span.caption", "撮影"));
    const element = h("div.slot", { dataset: { slot: slot.key } },
      h("span.label", slot.label, slot.required ? h("span.req", "必須") : null), button, status,
      this.waiverBox(slot));
    const view = { element, picture, status, button };
    this.slots.set(slot.key, view);
    input.addEventListener("change", () => {
      if (input.files[0]) this.take(slot, input.files[0]);
      input.value = "";
    });
    const stored = this.draft.photos[slot.key];
    if (stored) photoRow(stored.id).then((row) => row && this.show(slot.key, row.blob));
    else if (this.guides.has(slot.key)) this.showGuide(slot, this.guides.get(slot.key));
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

  async showGuide(slot, photoId) {
    const blob = await guideBlob(photoId).catch(() => null);
    const view = this.slots.get(slot.key);
    if (!blob || !view.picture.classList.contains("placeholder")) return;
    const img = h("img.guide", { src: URL.createObjectURL(blob), alt: `前回の${slot.label}の写真` });
    img.addEventListener("load", () => URL.revokeObjectURL(img.src), { once: true });
    const guide = h("div.placeholder.with-guide", img, h("span.guide-label", "前回"));
    view.picture.replaceWith(guide);
    view.picture = guide;
  }

  show(key, blob) {
    const view = this.slots.get(key);
    const img = h("img.taken", { src: URL.createObjectURL(blob), alt: `${view.element.querySelector(".label").firstChild.textContent}の写真` });
    img.addEventListener("load", () => URL.revokeObjectURL(img.src), { once: true });
    view.picture.replaceWith(img);
    view.picture = img;
    view.button.querySelector(".caption").textContent = "撮り直す";
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
