// What the last approved visit found, for the form's header: the answers that were not normal
// (an option with a severity) with the notes written about them, and the visit's own note.
// Also the fast path's "normal" answers: the one option of an item with no severity and no flag.

import { h } from "../dom.js";
import { dateTimeLabel } from "../labels.js";
import { visibleItems } from "../rubric-engine.js";

const itemsOf = (rubric) => rubric.sections.flatMap((s) => s.items);

export function findings(rubric, answers) {
  const items = itemsOf(rubric);
  const found = [];
  for (const item of items) {
    if (!["choice", "multi", "boolean"].includes(item.type) || !(item.key in answers)) continue;
    const chosen = [answers[item.key]].flat();
    const bad = item.options.filter((o) => chosen.includes(o.value) && o.severity > 0);
    if (!bad.length) continue;
    const notes = items.filter((n) => n.type === "text" && n.show_if?.item === item.key && answers[n.key])
      .map((n) => answers[n.key]);
    found.push({ key: item.key, label: item.label, value: bad.map((o) => o.label).join("、"), notes });
  }
  return found;
}

export function lastVisitBox(rubric, last) {
  if (!last) return h("p.help.last-visit", "前回の記録: なし（初めての訪問）");
  const list = rubric ? findings(rubric, last.answers) : [];
  return h("div.last-visit",
    h("p.last-title", `前回（${dateTimeLabel(last.finished_at)}）`,
      list.length ? null : h("span.tag.ok", "前回は異常なし")),
    list.length ? h("ul", list.map((f) => h("li", h("strong", `${f.label}: ${f.value}`),
      f.notes.length ? ` — ${f.notes.join(" ／ ")}` : ""))) : null,
    last.notes ? h("p.help", `前回の備考: ${last.notes}`) : null);
}

const normalOption = (item) => {
  const calm = item.options.filter((o) => !o.severity && !(o.flags ?? []).length && !o.urgent);
  return calm.length === 1 ? calm[0] : null;
};

// Required choice items (not part of a paid option) with exactly one normal answer.
export function fastPathItems(rubric, answers, options) {
  return visibleItems(rubric, answers, options)
    .filter((item) => item.type === "choice" && item.required && !item.requires_option && normalOption(item));
}

export const normalValue = (item) => normalOption(item).value;
