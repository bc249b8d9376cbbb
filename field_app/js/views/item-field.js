// One rubric item as a compact control with glove-sized targets: choice and boolean as a row of
// radio buttons that wraps, multi as check buttons, number with −/＋ steppers (the first tap gives
// last visit's value, or 1) and its unit, text with a length counter.
// `onChange(value)` gets the answer (undefined = not answered); `field.setValue(v)` sets it from outside.

import { h } from "../dom.js";

let serial = 0;

function optionButtons(item, value, onChange) {
  const multi = item.type === "multi";
  const name = `item-${item.key}-${(serial += 1)}`;
  const chosen = multi ? new Set(value ?? []) : new Set(value === undefined ? [] : [value]);
  const inputs = item.options.map((option, index) => h("input", {
    type: multi ? "checkbox" : "radio", name, value: String(index), checked: chosen.has(option.value),
  }));
  const list = h(`div.choices${item.type === "boolean" ? ".two" : ""}`, { role: multi ? "group" : "radiogroup" },
    item.options.map((option, index) => h(`label.choice${multi ? ".multi" : ""}`, inputs[index], option.label)));
  list.addEventListener("change", () => {
    const picked = item.options.filter((_, index) => inputs[index].checked).map((option) => option.value);
    onChange(multi ? picked : picked[0]);
  });
  list.setValue = (next) => {
    const set = new Set(multi ? next ?? [] : [next]);
    item.options.forEach((option, index) => { inputs[index].checked = set.has(option.value); });
  };
  return list;
}

function parseNumber(text) {
  const normalised = text.trim().replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (normalised === "") return undefined;
  const number = Number(normalised);
  return Number.isFinite(number) ? number : normalised; // kept as text: the engine says it is wrong
}

// Where a stepper starts when empty: last visit's value, else 1, kept inside min..max.
export function stepStart(item, lastValue) {
  let start = typeof lastValue === "number" ? lastValue : 1;
  if (item.min !== null && item.min !== undefined) start = Math.max(item.min, start);
  if (item.max !== null && item.max !== undefined) start = Math.min(item.max, start);
  return start;
}

function numberInput(item, value, lastValue, onChange, labelId) {
  const input = h("input", {
    type: "text", inputMode: item.integer ? "numeric" : "decimal", value: value ?? "", autocomplete: "off",
  });
  input.setAttribute("aria-labelledby", labelId);
  const set = (next) => { input.value = next === undefined ? "" : String(next); onChange(next); };
  input.addEventListener("input", () => onChange(parseNumber(input.value)));
  const step = (delta) => () => {
    const now = parseNumber(input.value);
    if (typeof now !== "number") return set(stepStart(item, lastValue));
    let next = now + delta;
    if (item.min !== null) next = Math.max(item.min, next);
    if (item.max !== null) next = Math.min(item.max, next);
    set(next);
  };
  const control = h("div.number",
    h("button.step", { type: "button", onclick: step(-1), "aria-label": `${item.label}を1減らす` }, "−"),
    input,
    item.unit ? h("span.unit", item.unit) : null,
    h("button.step", { type: "button", onclick: step(1), "aria-label": `${item.label}を1増やす` }, "＋"));
  control.setValue = (next) => { input.value = next === undefined ? "" : String(next); };
  return control;
}

function textInput(item, value, onChange, labelId) {
  const area = h("textarea", { value: value ?? "", rows: 3, maxLength: item.max_length });
  area.setAttribute("aria-labelledby", labelId);
  const counter = h("p.counter");
  const count = () => { counter.textContent = `${Array.from(area.value).length} / ${item.max_length}文字`; };
  area.addEventListener("input", () => { count(); onChange(area.value); });
  count();
  const control = h("div", area, counter);
  control.setValue = (next) => { area.value = next ?? ""; count(); };
  return control;
}

// An answer marked urgent (侵入の疑い, 倒壊のおそれ…): what to do now, shown with the finding.
export const URGENT_INSTRUCTION = "敷地・建物には入らないでください。中に人がいる、または今まさに起きているときは110番"
  + "（火災・けが人は119番）。局には送信したときに至急として知らせます。";

export function urgentChosen(item, value) {
  const chosen = new Set([value].flat());
  return (item.options ?? []).some((option) => option.urgent && chosen.has(option.value));
}

function urgentInstruction(item, value) {
  if (!(item.options ?? []).some((option) => option.urgent)) return null;
  return h("p.note-bad.urgent-instruction", { role: "status", hidden: !urgentChosen(item, value) },
    h("strong", "至急: "), URGENT_INSTRUCTION);
}

// A multi item is never marked 必須: choosing nothing is its answer (「該当なし」).
export function renderItem(item, value, lastValue, givenOnChange) {
  let fieldset = null;
  const onChange = (next) => { fieldset.currentValue = next; givenOnChange(next); };
  const labelId = `label-${item.key}-${(serial += 1)}`;
  const range = item.type === "number" && (item.min !== null || item.max !== null)
    ? `（${item.min ?? ""}〜${item.max ?? ""}${item.unit ?? ""}${item.integer ? "・整数" : ""}）` : "";
  const control = ["choice", "multi", "boolean"].includes(item.type) ? optionButtons(item, value, onChange)
    : item.type === "number" ? numberInput(item, value, lastValue, onChange, labelId) : textInput(item, value, onChange, labelId);
  const error = h("p.item-error", { hidden: true, role: "alert" });
  const urgent = urgentInstruction(item, value);
  fieldset = h("fieldset.item", { dataset: { key: item.key } },
    h("legend", { id: labelId }, item.label, item.required && item.type !== "multi" ? h("span.req", "必須") : null,
      item.type === "multi" ? h("span.help", "（当てはまるものをすべて）") : null,
      range ? h("span.range", range) : null),
    item.help ? h("p.help", item.help) : null,
    control, urgent, error);
  const showUrgent = (next) => { if (urgent) urgent.hidden = !urgentChosen(item, next); };
  control.addEventListener("change", () => showUrgent(fieldset.currentValue));
  fieldset.setValue = (next) => { control.setValue(next); fieldset.currentValue = next; showUrgent(next); };
  fieldset.currentValue = value;
  fieldset.showError = (message) => {
    error.hidden = !message;
    error.textContent = message ?? "";
    fieldset.classList.toggle("has-error", Boolean(message));
  };
  return fieldset;
}
