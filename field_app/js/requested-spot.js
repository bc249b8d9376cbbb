// The owner's requested spot (the task's `requested_spot`): the visit says what was seen there,
// with its photo, or why it could not be checked. The same rule as server/tasks/requested_spot.py.

export const NOTE_ITEM = "requested_spot_note";
export const REASON_ITEM = "requested_spot_unchecked";
export const SLOT = "requested_spot";

const allItems = (rubric) => rubric.sections.flatMap((section) => section.items);

export function requestedSpotErrors(rubric, spot, answers, slots) {
  const items = new Map(allItems(rubric).map((item) => [item.key, item]));
  if (!(spot ?? "").trim() || !items.has(NOTE_ITEM)) return [];
  if (items.has(REASON_ITEM) && answers[REASON_ITEM] !== undefined && answers[REASON_ITEM] !== "") return [];
  const errors = [];
  if (!String(answers[NOTE_ITEM] ?? "").trim()) {
    errors.push({ item: NOTE_ITEM, code: "requested_spot_missing",
      message: `所有者のご依頼箇所「${spot}」の様子を「${items.get(NOTE_ITEM).label}」に書いてください。確認できなかったときは理由を選んでください。` });
  }
  if (rubric.photo_slots.some((slot) => slot.key === SLOT) && !slots.includes(SLOT)) {
    errors.push({ item: SLOT, code: "requested_spot_photo",
      message: `所有者のご依頼箇所「${spot}」の写真を撮影してください。撮影できなかったときは理由を選んでください。` });
  }
  return errors;
}
