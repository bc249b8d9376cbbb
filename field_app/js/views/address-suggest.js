// The vacant-house report's address, suggested from where the phone is: the nearest house the
// phone knows (pulled with the tasks) gives the address to start from and its 大字; the carrier
// confirms it or changes the number before saving. Nothing is filled in without a tap.

import { h } from "../dom.js";
import { distanceLabel } from "../labels.js";
import { distanceM } from "../geo.js";

const NEAR_ENOUGH_M = 500;

export function nearestKnown(properties, fix) {
  if (!fix) return null;
  let best = null;
  for (const property of properties) {
    if (typeof property.lat !== "number" || typeof property.lon !== "number") continue;
    const metres = distanceM(fix, property);
    if (!best || metres < best.metres) best = { property, metres };
  }
  return best && best.metres <= NEAR_ENOUGH_M ? best : null;
}

// A box under the address field: the suggestion and a button to use it.
export function suggestionBox(near, onUse) {
  if (!near) return h("p.help", "近くに登録済みの家がないため、住所の候補はありません。表札・住居表示から入力してください。");
  const { property, metres } = near;
  return h("div.suggest",
    h("p.help", `近くの登録済みの家（約${distanceLabel(metres)}）: `, h("strong", property.address),
      property.district ? `（大字・町丁目: ${property.district}）` : ""),
    h("button.btn", { type: "button", dataset: { action: "use-suggestion" }, onclick: () => onUse(property.address) },
      "この住所をもとに入力する（番地を確かめてください）"));
}
