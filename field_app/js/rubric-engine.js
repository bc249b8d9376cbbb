// Scoring a visit's answers against a rubric's client JSON (server.rubrics.rubric_to_client).
// Browser ES module, no dependencies. The same algorithm as server/rubrics/engine.py: read the
// rules there; rubrics/conformance/vectors.json keeps both engines giving identical results.

const OPTION_TYPES = new Set(["choice", "multi", "boolean"]);

const MESSAGES = {
  required: "「{label}」が未回答です。回答してください。",
  unknown_item: "「{label}」はこの調査票にない項目です。アプリを更新してください。",
  hidden_item: "「{label}」は今回の条件では回答しない項目です。回答を消してください。",
  wrong_type: "「{label}」の回答の形式が正しくありません。回答し直してください。",
  unknown_option: "「{label}」に選択肢にない回答があります。選び直してください。",
  out_of_range: "「{label}」は{range}で入力してください。",
  too_long: "「{label}」は{max_length}文字以内で入力してください。",
  not_integer: "「{label}」は整数で入力してください。",
  duplicate_choice: "「{label}」で同じ選択肢が重複しています。選び直してください。",
  missing_photo: "写真「{label}」がありません。撮影してください。",
  unknown_photo_slot: "写真の区分「{label}」はこの調査票にありません。区分を選び直してください。",
  photo_for_abnormal: "「{label}」が異常ありのため、写真「{slot}」を撮影してください。",
};

function answerError(item, code, label, details = {}) {
  const fields = { label, ...details };
  const message = MESSAGES[code].replace(/\{(\w+)\}/g, (_, name) => String(fields[name]));
  return { item, code, message };
}

function formatRange(min, max, unit) {
  const u = unit ?? "";
  if (min !== null && max !== null) return `${min}${u}〜${max}${u}の範囲`;
  return min !== null ? `${min}${u}以上` : `${max}${u}以下`;
}

const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const answerOf = (answers, key) => (has(answers, key) ? answers[key] : undefined);

function allItems(rubric) {
  return rubric.sections.flatMap((section) => section.items);
}

function findItem(rubric, key) {
  return allItems(rubric).find((item) => item.key === key);
}

function answered(item, value) {
  return value !== undefined && value !== null && !(item.type === "text" && value === "");
}

// Compare strings by Unicode code point, as Python's sorted() does.
function byCodePoint(a, b) {
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

function valueProblem(item, value) {
  const error = (code, details) => answerError(item.key, code, item.label, details);
  const values = item.options.map((option) => option.value);
  switch (item.type) {
    case "choice":
      if (typeof value !== "string") return error("wrong_type");
      return values.includes(value) ? null : error("unknown_option");
    case "multi":
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return error("wrong_type");
      if (!value.every((v) => values.includes(v))) return error("unknown_option");
      return new Set(value).size < value.length ? error("duplicate_choice") : null;
    case "boolean":
      return typeof value === "boolean" ? null : error("wrong_type");
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return error("wrong_type");
      if (item.integer && !Number.isInteger(value)) return error("not_integer");
      if ((item.min !== null && value < item.min) || (item.max !== null && value > item.max)) {
        return error("out_of_range", { range: formatRange(item.min, item.max, item.unit) });
      }
      return null;
    default:
      if (typeof value !== "string") return error("wrong_type");
      return Array.from(value).length > item.max_length ? error("too_long", { max_length: item.max_length }) : null;
  }
}

function holds(condition, answers, visible, rubric) {
  const target = findItem(rubric, condition.item);
  const value = answerOf(answers, condition.item);
  if (!visible.has(condition.item) || !answered(target, value) || valueProblem(target, value)) return false;
  const chosen = target.type === "multi" ? value : [value];
  return chosen.some((v) => condition.in.includes(v));
}

export function visibleItems(rubric, answers, options = []) {
  const visible = new Set();
  const shown = [];
  for (const item of allItems(rubric)) {
    if (item.requires_option !== null && !options.includes(item.requires_option)) continue;
    if (item.show_if !== null && !holds(item.show_if, answers, visible, rubric)) continue;
    visible.add(item.key);
    shown.push(item);
  }
  return shown;
}

// True when `item` (an item of the rubric, or its key) is shown for these answers and options.
export function isVisible(rubric, item, answers, options = []) {
  const key = typeof item === "string" ? item : item.key;
  return visibleItems(rubric, answers, options).some((shown) => shown.key === key);
}

export function answerErrors(rubric, answers, options = []) {
  const visible = new Set(visibleItems(rubric, answers, options).map((item) => item.key));
  const errors = [];
  for (const item of allItems(rubric)) {
    const value = answerOf(answers, item.key);
    if (!answered(item, value)) {
      if (item.required && visible.has(item.key)) errors.push(answerError(item.key, "required", item.label));
    } else if (!visible.has(item.key)) {
      errors.push(answerError(item.key, "hidden_item", item.label));
    } else {
      const problem = valueProblem(item, value);
      if (problem) errors.push(problem);
    }
  }
  const known = new Set(allItems(rubric).map((item) => item.key));
  const unknown = Object.keys(answers).filter((key) => !known.has(key)).sort(byCodePoint);
  return errors.concat(unknown.map((key) => answerError(key, "unknown_item", key)));
}

function chosenOptions(item, value) {
  const chosen = item.type === "multi" ? value : [value];
  return item.options.filter((option) => chosen.includes(option.value));
}

const inBand = (value, band) => band.min <= value && (band.max === null || value <= band.max);

// {ok: true, result} or {ok: false, errors}; result has the shape of the server's Result.
export function score(rubric, answers, options = []) {
  const errors = answerErrors(rubric, answers, options);
  if (errors.length > 0) return { ok: false, errors };
  const scoring = rubric.scoring;
  const raw = Object.fromEntries(scoring.categories.map((category) => [category.key, 0]));
  const raised = new Set();
  const shown = visibleItems(rubric, answers, options);
  for (const item of shown) {
    const value = answerOf(answers, item.key);
    if (!OPTION_TYPES.has(item.type) || !answered(item, value)) continue;
    for (const option of chosenOptions(item, value)) {
      for (const [category, points] of Object.entries(option.points)) raw[category] += points;
      option.flags.forEach((flag) => raised.add(flag));
    }
  }
  const points = Object.fromEntries(
    scoring.categories.map((c) => [c.key, c.cap === null ? raw[c.key] : Math.min(raw[c.key], c.cap)]),
  );
  let total = scoring.categories.filter((c) => c.in_total).reduce((sum, c) => sum + points[c.key], 0);
  const visible = new Set(shown.map((item) => item.key));
  for (const multiplier of scoring.multipliers) {
    if (holds(multiplier.when, answers, visible, rubric)) {
      const scaled = total * multiplier.percent; // integers: floor division without floats
      total = (scaled - (scaled % 100)) / 100;
    }
  }
  const rank = scoring.ranks.find((r) => inBand(total, r)) ?? null;
  const judgements = Object.fromEntries(
    scoring.judgements.map((j) => [j.key, j.levels.find((level) => inBand(points[j.category], level)).value]),
  );
  const flags = scoring.flags
    .filter((flag) => raised.has(flag.key))
    .map(({ key, label, category, level, urgency }) => (
      urgency == null ? { key, label, category, level } : { key, label, category, level, urgency }));
  const result = { points, total, rank: rank && rank.code, rank_label: rank && rank.label, judgements, flags };
  if (scoring.statutory != null) {
    result.statutory = statutoryRange(rubric, answers, shown, (c) => holds(c, answers, visible, rubric));
  }
  return { ok: true, result };
}

const STATUTORY_VERDICTS = {
  defective: "不良住宅（不良度100以上）",
  undetermined: "判定不能",
  not_defective: "不良住宅に当たらない（不良度100未満）",
};

// The statutory 不良度 (住宅地区改良法施行規則 第1条) as a range: server/rubrics/statutory.py.
function statutoryRange(rubric, answers, shown, holdsCondition) {
  const spec = rubric.scoring.statutory;
  if (spec.undetermined_if != null && holdsCondition(spec.undetermined_if)) {
    return {
      label: spec.label, verdict: "undetermined", verdict_label: spec.undetermined_label,
      min: null, max: null, min_points: {}, max_points: {}, unseen: [],
    };
  }
  if (spec.applies_if !== null && !holdsCondition(spec.applies_if)) {
    return {
      label: spec.label, verdict: "not_applicable", verdict_label: spec.not_applicable,
      min: null, max: null, min_points: {}, max_points: {}, unseen: [],
    };
  }
  const caps = Object.fromEntries(rubric.scoring.categories.map((c) => [c.key, c.cap]));
  const seen = Object.fromEntries(spec.categories.map((key) => [key, 0]));
  const could = Object.fromEntries(spec.categories.map((key) => [key, 0]));
  const unseen = [];
  for (const item of shown) {
    const value = answerOf(answers, item.key);
    if (value === undefined || value === null || !OPTION_TYPES.has(item.type)) continue;
    const options = chosenOptions(item, value);
    const notSeen = options.some((option) => option.unseen === true);
    const seeable = item.options.filter((option) => option.unseen !== true);
    const pointsOf = (option, key) => option.points[key] ?? 0;
    let anything = false;
    for (const key of spec.categories) {
      let added = 0;
      if (notSeen) {
        added = item.type === "multi"
          ? seeable.reduce((sum, option) => sum + pointsOf(option, key), 0)
          : Math.max(0, ...seeable.map((option) => pointsOf(option, key)));
      }
      // An unseen condition of a seen answer (2(四) イ: the leak) adds to the maximum only.
      for (const option of options) added += (option.unseen_points ?? {})[key] ?? 0;
      could[key] += added;
      anything = anything || added > 0;
    }
    if (anything) unseen.push(item.key);
    for (const option of options) {
      for (const key of spec.categories) seen[key] += option.points[key] ?? 0;
    }
  }
  const capped = (points, key) => (caps[key] === null ? points : Math.min(points, caps[key]));
  const low = Object.fromEntries(spec.categories.map((key) => [key, capped(seen[key], key)]));
  const high = Object.fromEntries(spec.categories.map((key) => [key, capped(seen[key] + could[key], key)]));
  const min = Object.values(low).reduce((a, b) => a + b, 0);
  const max = Object.values(high).reduce((a, b) => a + b, 0);
  let verdict = "not_defective";
  if (min >= spec.threshold) verdict = "defective";
  else if (max >= spec.threshold) verdict = "undetermined";
  return {
    label: spec.label, verdict, verdict_label: STATUTORY_VERDICTS[verdict],
    min, max, min_points: low, max_points: high, unseen,
  };
}

// The photo slots the form shows: requires_option among the task's options and show_if holding, as for items.
export function shownSlots(rubric, answers = {}, options = []) {
  const visible = new Set(visibleItems(rubric, answers, options).map((item) => item.key));
  return rubric.photo_slots
    .filter((slot) => (slot.requires_option ?? null) === null || options.includes(slot.requires_option))
    .filter((slot) => (slot.show_if ?? null) === null || holds(slot.show_if, answers, visible, rubric))
    .map((slot) => slot.key);
}

// Required slots without a photo and not waived (form order), then slots an item answered
// 異常あり needs a photo in (item form order), then unknown slots (first-seen order). A slot is
// waived when its waiver_item is visible and answered; a waiver never replaces the photo of 異常あり.
// A slot the form does not show (requires_option, show_if) is not required.
export function checkPhotos(rubric, slots, answers = {}, options = []) {
  const shown = visibleItems(rubric, answers, options);
  const visible = new Set(shown.map((item) => item.key));
  const showing = new Set(shownSlots(rubric, answers, options));
  const waived = new Set(rubric.photo_slots
    .filter((slot) => slot.waiver_item && visible.has(slot.waiver_item)
      && answered(findItem(rubric, slot.waiver_item), answerOf(answers, slot.waiver_item)))
    .map((slot) => slot.key));
  const errors = rubric.photo_slots
    .filter((slot) => slot.required && showing.has(slot.key) && !slots.includes(slot.key) && !waived.has(slot.key))
    .map((slot) => answerError(slot.key, "missing_photo", slot.label));
  const reported = new Set(errors.map((error) => error.item));
  const slotLabels = new Map(rubric.photo_slots.map((slot) => [slot.key, slot.label]));
  const neededFrom = new Map(rubric.photo_slots.map((slot) => [slot.key, slot.needed_from_severity ?? 2]));
  // A required slot's waiver covers its routine photo only; a findings-only slot's waiver covers the finding.
  const waivedFindings = new Set(rubric.photo_slots.filter((slot) => waived.has(slot.key) && !slot.required).map((slot) => slot.key));
  for (const item of shown) {
    const slot = item.photo_slot ?? null;
    if (slot === null || slots.includes(slot) || reported.has(slot) || waivedFindings.has(slot) || !slotLabels.has(slot)) continue;
    const value = answerOf(answers, item.key);
    if (!OPTION_TYPES.has(item.type) || !answered(item, value) || valueProblem(item, value)) continue;
    if (chosenOptions(item, value).some((option) => option.severity >= neededFrom.get(slot))) {
      errors.push(answerError(slot, "photo_for_abnormal", item.label, { slot: slotLabels.get(slot) }));
      reported.add(slot);
    }
  }
  const known = new Set(rubric.photo_slots.map((slot) => slot.key));
  const unknown = [...new Set(slots)].filter((slot) => !known.has(slot));
  return errors.concat(unknown.map((slot) => answerError(slot, "unknown_photo_slot", String(slot))));
}

const labels = (options) => options.map((option) => option.label).join("、") || "なし";

// Items with options whose severity rose ("worse") or fell ("better") since the last visit.
export function compare(rubric, previousAnswers, answers) {
  const changes = [];
  for (const item of allItems(rubric)) {
    if (!OPTION_TYPES.has(item.type)) continue;
    const before = answerOf(previousAnswers, item.key);
    const after = answerOf(answers, item.key);
    if (!answered(item, before) || !answered(item, after)) continue;
    if (valueProblem(item, before) || valueProblem(item, after)) continue;
    const was = chosenOptions(item, before);
    const now = chosenOptions(item, after);
    const severity = (chosen) => Math.max(0, ...chosen.map((option) => option.severity));
    const [oldSeverity, newSeverity] = [severity(was), severity(now)];
    if (oldSeverity !== newSeverity) {
      changes.push({
        item: item.key,
        label: item.label,
        direction: newSeverity > oldSeverity ? "worse" : "better",
        before: labels(was),
        after: labels(now),
      });
    }
  }
  return changes;
}
