// A form's draft and the records it comes from and goes back to. Into a draft: a pulled task,
// a new vacant-house report, or a record that needs correcting (held on this phone, or fetched
// after the office returned it). Back out, on save: the outbox operation, the photos it sends
// and the record's summary. Plain data only (no DOM, no IndexedDB): `node --test` runs it.
//
// Draft: {id, created_at, started_at, task_id, property_id, rubric_ref, options, kind, due,
//   title, memo, answers, notes, photos: {slot: {id, sha256, device_lat, device_lon}},
//   start_fix, supersedes (a returned record), replaces (the record it corrects), report
//   ({address_text, notes, with_survey} or null), return_comment (corrections only)}

import { isoWithOffset } from "./labels.js";
import { plainAnswers, plainText } from "./plain-text.js";
import { visibleItems } from "./rubric-engine.js";

// The report's one optional photo (server: property.report `photo`, slot "report").
export const REPORT_SLOT = { key: "report", label: "家の写真", required: false };

// A new draft; `from` prefills answers (a correction), `supersedes` names a returned record.
export function newDraft({ task = null, property = null, rubric, options = [], report = null, from = null,
  supersedes = null, replaces = null, title = "", requestedSpot = "" }) {
  return {
    id: crypto.randomUUID(), created_at: new Date().toISOString(), started_at: isoWithOffset(),
    task_id: task?.id ?? from?.task_id ?? null, property_id: property?.id ?? from?.property_id ?? null,
    rubric_ref: rubric ? `${rubric.id}@${rubric.version}` : null, options, kind: task?.kind ?? rubric?.kind ?? "survey",
    due: task?.due ?? null, title: title || property?.address || "", memo: task?.note ?? "",
    requested_spot: task?.requested_spot ?? requestedSpot,
    requested_spot_mark: spotMark(task),
    answers: { ...(from?.answers ?? {}) },
    notes: from?.notes ?? "", photos: {}, start_fix: null, supersedes, replaces, report,
  };
}

// The owner's mark on last month's photo of their requested spot: {photo_id, cell} or null.
const spotMark = (task) => (task?.requested_spot && task.requested_spot_photo_id && Number.isInteger(task.requested_spot_cell)
  ? { photo_id: task.requested_spot_photo_id, cell: task.requested_spot_cell } : null);

// A pulled task (and its house) as a fresh draft.
export const taskDraft = ({ task, property, rubric }) => newDraft({ task, property, rubric, options: task.options });

// A report of a house on no list: a new house id, an empty address and note, no survey yet.
export function reportDraft(rubric) {
  const draft = newDraft({ rubric, report: { address_text: "", notes: "", with_survey: false } });
  draft.property_id = crypto.randomUUID();
  return draft;
}

// The newest survey rubric the phone holds (a report's optional first survey).
export const newestSurveyRubric = (rubrics) => [...rubrics.values()].filter((r) => r.kind === "survey")
  .sort((a, b) => b.version - a.version)[0] ?? null;

// The rubric a record to correct was written with (undefined when the phone lacks it), or the
// newest survey rubric for a report without a survey.
export const correctionRubric = (inspection, rubrics) => (inspection
  ? rubrics.get(`${inspection.rubric_id}@${inspection.rubric_version}`) : newestSurveyRubric(rubrics));

// Last approved visit of `property` with `rubric`, for the form's header and comparisons.
export const lastApprovedFor = (property, rubric) => property?.last_approved.find((l) => l.rubric_id === rubric?.id) ?? null;

// A record that needs attention as a new draft with its answers, report fields and photos.
// `inspection` is the record's own (or, for a record returned to a phone that never held it,
// the server's); `photos` are the record's stored photo rows. Photos get new ids (ids are never
// reused): returns the draft and the photo rows to store for it.
export function correctionDraft({ record, inspection, rubric, photos = [] }) {
  const returned = record.problem?.source === "review";
  const report = record.type === "property.report"
    ? { address_text: record.op.property.address_text, notes: record.op.property.notes, with_survey: Boolean(inspection) } : null;
  const draft = newDraft({
    rubric, options: record.summary.options ?? [], from: inspection, report, title: record.summary.title,
    requestedSpot: record.summary.requested_spot ?? "",
    supersedes: returned ? record.id : null, replaces: record.id,
  });
  if (report) draft.property_id = crypto.randomUUID(); // a rejected report created nothing: report it anew
  draft.kind = record.summary.kind === "report" ? "survey" : record.summary.kind ?? rubric.kind;
  draft.return_comment = record.problem?.comment ?? "";
  const copies = photos.map((old) => ({ ...old, id: crypto.randomUUID(), owner: draft.id }));
  for (const copy of copies) {
    draft.photos[copy.slot] = { id: copy.id, sha256: copy.sha256, device_lat: copy.device_lat, device_lon: copy.device_lon };
  }
  return { draft, photos: copies };
}

export const isReport = (draft) => Boolean(draft.report);
export const withSurvey = (draft, rubric) => Boolean(rubric) && (!isReport(draft) || draft.report.with_survey);

const answered = (item, value) => value !== undefined && value !== null && !(item.type === "text" && value === "");

// What would be sent: the visible, answered items only; a multi left untouched is "none of these" ([]).
export function answersToSend(rubric, draft) {
  const shown = visibleItems(rubric, draft.answers, draft.options);
  const valueOf = (item) => draft.answers[item.key] ?? (item.type === "multi" ? [] : undefined);
  return Object.fromEntries(shown.filter((item) => answered(item, valueOf(item))).map((item) => [item.key, valueOf(item)]));
}

const photoRef = (p) => ({ id: p.id, slot: p.slot, sha256: p.sha256,
  ...(p.device_lat !== null ? { device_lat: p.device_lat, device_lon: p.device_lon } : {}) });

// The draft as the operation pushed (inspection.submit or property.report) and the photos it
// sends, [{slot, id, sha256, device_lat, device_lon}]. `fix` is the position at save (or null).
export function draftToOp(draft, rubric, fix) {
  const d = draft;
  const surveyed = withSurvey(d, rubric);
  const photos = surveyed ? rubric.photo_slots.filter((s) => d.photos[s.key])
    .map((s) => ({ slot: s.key, ...d.photos[s.key] })) : [];
  const inspection = surveyed ? {
    id: d.id, task_id: d.task_id, property_id: d.property_id, rubric_id: rubric.id,
    rubric_version: rubric.version, started_at: d.started_at, finished_at: isoWithOffset(),
    location: fix ? { lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m } : null, answers: plainAnswers(answersToSend(rubric, d)),
    photos: photos.map(photoRef), notes: plainText(d.notes, { multiLine: true }), supersedes: d.supersedes,
  } : null;
  if (!isReport(d)) return { op: { op_id: crypto.randomUUID(), type: "inspection.submit", inspection }, photos };
  const property = { id: d.property_id, lat: fix.lat, lon: fix.lon, address_text: plainText(d.report.address_text).trim(),
    notes: plainText([d.report.notes, inspection ? "" : d.notes].filter(Boolean).join("\n"), { multiLine: true }),
    reported_at: isoWithOffset() };
  const op = { op_id: crypto.randomUUID(), type: "property.report", property };
  if (inspection) op.inspection = inspection;
  const shot = d.photos[REPORT_SLOT.key];
  if (!inspection && shot) {
    op.photo = photoRef({ slot: REPORT_SLOT.key, ...shot });
    photos.push({ slot: REPORT_SLOT.key, ...shot });
  }
  return { op, photos };
}

// What the outbox and the task list show of a saved record.
export function recordSummary(draft, op, rubric) {
  const report = isReport(draft);
  return {
    title: report ? op.property.address_text : draft.title, kind: report ? "report" : draft.kind,
    property_id: draft.property_id, task_id: draft.task_id, rubric_ref: withSurvey(draft, rubric) ? draft.rubric_ref : null,
    options: draft.options, start_fix: draft.start_fix, requested_spot: draft.requested_spot ?? "",
  };
}
