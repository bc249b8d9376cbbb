// The record-to-draft conversion (drafts.js): a pulled task, a new report and a record to
// correct become a draft; a draft becomes the outbox operation, its photos and the summary.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  REPORT_SLOT, answersToSend, correctionDraft, correctionRubric, draftToOp, lastApprovedFor, newestSurveyRubric,
  recordSummary, reportDraft, taskDraft, withSurvey,
} from "../../field_app/js/drafts.js";

const vectors = JSON.parse(readFileSync(new URL("../../rubrics/conformance/vectors.json", import.meta.url), "utf8"));
const rubricOf = (id, version) => vectors.rubrics.find((r) => r.id === id && r.version === version);
const rubric = rubricOf("conformance_all_types", 1); // survey; show_if, multi, text, number, requires_option
const watch = rubricOf("watch_basic", 1);
const rubrics = new Map(vectors.rubrics.map((r) => [`${r.id}@${r.version}`, r]));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

const task = { id: "task-1", kind: "survey", due: "2026-11-30", note: "北側の塀を見てください", options: ["airing"],
  property_id: "house-1", rubric_id: rubric.id, rubric_version: rubric.version, requested_spot: "北側の塀" };
const house = { id: "house-1", address: "東京都千代田区一番町1-1",
  last_approved: [{ rubric_id: "watch_basic", answers: {} }, { rubric_id: rubric.id, answers: { condition: "good" } }] };
const fix = { lat: 35.6871, lon: 139.7401, accuracy_m: 12, at: 0 };
const shot = (id, lat = 35.6871) => ({ id, sha256: `sha-${id}`, device_lat: lat, device_lon: lat === null ? null : 139.74 });

// A filled survey draft for the task: a hidden note, an empty text, an untouched multi.
function filledDraft() {
  const draft = taskDraft({ task, property: house, rubric });
  Object.assign(draft.answers, { condition: "good", condition_note: "隠れた項目の答え", defects: ["d1"], signs_note: "",
    has_fence: true, fence_height: 1.5, aired: true, rooms: 3 });
  draft.notes = "局への連絡";
  draft.photos.front = shot("ph-front", null);
  draft.photos.overview = shot("ph-overview");
  return draft;
}

test("a pulled task becomes a fresh draft of its house, rubric, options, due date and memo", () => {
  const draft = taskDraft({ task, property: house, rubric });
  assert.match(draft.id, UUID);
  assert.match(draft.started_at, WITH_OFFSET);
  assert.ok(!Number.isNaN(Date.parse(draft.created_at)));
  const { id, created_at, started_at, ...rest } = draft;
  assert.deepEqual(rest, {
    task_id: "task-1", property_id: "house-1", rubric_ref: "conformance_all_types@1", options: ["airing"],
    kind: "survey", due: "2026-11-30", title: "東京都千代田区一番町1-1", memo: "北側の塀を見てください", answers: {},
    requested_spot: "北側の塀", requested_spot_mark: null, notes: "", photos: {}, start_fix: null, supersedes: null,
    replaces: null, report: null,
  });
  assert.notEqual(taskDraft({ task, property: house, rubric }).id, draft.id);
});

test("a task whose requested spot carries the owner's mark gives the draft the photo and cell", () => {
  const marked = { ...task, requested_spot_photo_id: "ph-last", requested_spot_cell: 0 };
  assert.deepEqual(taskDraft({ task: marked, property: house, rubric }).requested_spot_mark, { photo_id: "ph-last", cell: 0 });
  const noSpot = { ...marked, requested_spot: "" };  // a mark without its spot is nothing to show
  assert.equal(taskDraft({ task: noSpot, property: house, rubric }).requested_spot_mark, null);
});

test("a report starts empty, for a new house, without the survey", () => {
  const draft = reportDraft(rubric);
  assert.deepEqual(draft.report, { address_text: "", notes: "", with_survey: false });
  assert.match(draft.property_id, UUID);
  assert.notEqual(draft.property_id, draft.id);
  assert.equal(draft.task_id, null);
  assert.equal(draft.kind, "survey");
  assert.equal(withSurvey(draft, rubric), false);
  draft.report.with_survey = true;
  assert.equal(withSurvey(draft, rubric), true);
  assert.equal(withSurvey(draft, null), false);
});

test("what is sent: visible answered items only, an untouched multi as none of these", () => {
  assert.deepEqual(answersToSend(rubric, filledDraft()), {
    condition: "good", defects: ["d1"], signs: [], has_fence: true, fence_height: 1.5, aired: true, rooms: 3,
  });
  const noOption = { ...filledDraft(), options: [] }; // the airing items belong to a paid option
  assert.deepEqual(Object.keys(answersToSend(rubric, noOption)), ["condition", "defects", "signs", "has_fence", "fence_height"]);
});

test("a task's draft becomes inspection.submit with its photos in the rubric's slot order", () => {
  const draft = filledDraft();
  draft.start_fix = { ...fix, lat: 35.0 };
  const { op, photos } = draftToOp(draft, rubric, fix);
  assert.match(op.op_id, UUID);
  assert.notEqual(op.op_id, draft.id);
  assert.equal(op.type, "inspection.submit");
  assert.match(op.inspection.finished_at, WITH_OFFSET);
  const { finished_at, ...inspection } = op.inspection;
  assert.deepEqual(inspection, {
    id: draft.id, task_id: "task-1", property_id: "house-1", rubric_id: "conformance_all_types", rubric_version: 1,
    started_at: draft.started_at, location: { lat: 35.6871, lon: 139.7401, accuracy_m: 12 },
    answers: answersToSend(rubric, draft),
    photos: [{ id: "ph-overview", slot: "overview", sha256: "sha-ph-overview", device_lat: 35.6871, device_lon: 139.74 },
      { id: "ph-front", slot: "front", sha256: "sha-ph-front" }], // no device position: none sent
    notes: "局への連絡", supersedes: null,
  });
  assert.deepEqual(photos, [{ slot: "overview", ...shot("ph-overview") }, { slot: "front", ...shot("ph-front", null) }]);
  assert.deepEqual(Object.keys(op), ["op_id", "type", "inspection"]);
  assert.equal(draftToOp(draft, rubric, null).op.inspection.location, null);
});

test("a report without the survey carries the house, its note and the one optional photo", () => {
  const draft = reportDraft(rubric);
  Object.assign(draft.report, { address_text: "  東京都千代田区二番町2-2 ", notes: "雨戸が閉まったまま" });
  draft.notes = "備考";
  draft.photos[REPORT_SLOT.key] = shot("ph-house");
  draft.photos.overview = shot("ph-ignored"); // a survey photo does not go without the survey
  const { op, photos } = draftToOp(draft, rubric, fix);
  assert.equal(op.type, "property.report");
  assert.match(op.property.reported_at, WITH_OFFSET);
  const { reported_at, ...property } = op.property;
  assert.deepEqual(property, { id: draft.property_id, lat: 35.6871, lon: 139.7401, address_text: "東京都千代田区二番町2-2",
    notes: "雨戸が閉まったまま\n備考" });
  assert.equal("inspection" in op, false);
  assert.deepEqual(op.photo, { id: "ph-house", slot: "report", sha256: "sha-ph-house", device_lat: 35.6871, device_lon: 139.74 });
  assert.deepEqual(photos, [{ slot: "report", ...shot("ph-house") }]);
  const summary = recordSummary(draft, op, rubric);
  assert.deepEqual(summary, { title: "東京都千代田区二番町2-2", kind: "report", property_id: draft.property_id, task_id: null,
    rubric_ref: null, options: [], start_fix: null, requested_spot: "" });
});

test("a report with the survey carries the inspection of the new house, and no separate photo", () => {
  const draft = reportDraft(rubric);
  Object.assign(draft.report, { address_text: "東京都千代田区三番町3", notes: "", with_survey: true });
  draft.notes = "調査の備考";
  draft.answers.condition = "worn";
  draft.photos.overview = shot("ph-overview");
  draft.photos[REPORT_SLOT.key] = shot("ph-house");
  const { op, photos } = draftToOp(draft, rubric, fix);
  assert.equal(op.property.notes, ""); // the survey's note goes with the inspection
  assert.equal(op.inspection.notes, "調査の備考");
  assert.equal(op.inspection.property_id, op.property.id);
  assert.deepEqual(op.inspection.answers, { condition: "worn", defects: [], signs: [] });
  assert.equal("photo" in op, false);
  assert.deepEqual(photos.map((p) => p.id), ["ph-overview"]);
  assert.equal(recordSummary(draft, op, rubric).rubric_ref, "conformance_all_types@1");
});

test("a task's summary names its house, kind, task and rubric", () => {
  const draft = filledDraft();
  draft.start_fix = fix;
  const { op } = draftToOp(draft, rubric, fix);
  assert.deepEqual(recordSummary(draft, op, rubric), { title: "東京都千代田区一番町1-1", kind: "survey", property_id: "house-1",
    task_id: "task-1", rubric_ref: "conformance_all_types@1", options: ["airing"], start_fix: fix,
    requested_spot: "北側の塀" });
});

// The outbox record commitDraft makes of a saved draft (records.js), as far as drafts.js reads it.
function saved(draft, problem) {
  const { op } = draftToOp(draft, rubric, fix);
  return { id: draft.id, type: op.type, op, summary: recordSummary(draft, op, rubric), problem };
}

test("a returned record comes back as a draft that supersedes it, with its answers, note, comment and photos", () => {
  const original = filledDraft();
  const record = saved(original, { source: "review", code: "returned", comment: "北側の写真を撮り直してください" });
  const oldPhotos = [{ id: "ph-overview", owner: original.id, slot: "overview", blob: "jpeg-1", sha256: "sha-1", device_lat: 35.1, device_lon: 139.1, taken_at: "t1" },
    { id: "ph-front", owner: original.id, slot: "front", blob: "jpeg-2", sha256: "sha-2", device_lat: null, device_lon: null, taken_at: "t2" }];
  const before = structuredClone(oldPhotos);
  const { draft, photos } = correctionDraft({ record, inspection: record.op.inspection, rubric, photos: oldPhotos });

  assert.notEqual(draft.id, original.id);
  assert.equal(draft.supersedes, original.id);
  assert.equal(draft.replaces, original.id);
  assert.deepEqual(draft.answers, answersToSend(rubric, original));
  assert.notEqual(draft.answers, record.op.inspection.answers); // edits stay in the draft
  assert.equal(draft.notes, "局への連絡");
  assert.deepEqual([draft.task_id, draft.property_id, draft.title, draft.kind, draft.rubric_ref],
    ["task-1", "house-1", "東京都千代田区一番町1-1", "survey", "conformance_all_types@1"]);
  assert.deepEqual(draft.options, ["airing"]);
  assert.equal(draft.return_comment, "北側の写真を撮り直してください");
  assert.equal(draft.report, null);

  assert.deepEqual(oldPhotos, before); // the record's own photos stay as they were
  assert.equal(photos.length, 2);
  for (const [i, copy] of photos.entries()) {
    assert.match(copy.id, UUID);
    assert.notEqual(copy.id, oldPhotos[i].id);
    assert.deepEqual({ ...copy, id: oldPhotos[i].id, owner: original.id }, oldPhotos[i]);
    assert.equal(copy.owner, draft.id);
  }
  assert.deepEqual(draft.photos, {
    overview: { id: photos[0].id, sha256: "sha-1", device_lat: 35.1, device_lon: 139.1 },
    front: { id: photos[1].id, sha256: "sha-2", device_lat: null, device_lon: null },
  });
  // And back: the correction is sent as an inspection that supersedes the returned one.
  assert.equal(draftToOp(draft, rubric, fix).op.inspection.supersedes, original.id);
});

test("a record the server refused is redone as a draft that replaces it but supersedes nothing", () => {
  const record = saved(filledDraft(), { source: "server", code: "task_not_yours", message: "…" });
  const { draft, photos } = correctionDraft({ record, inspection: record.op.inspection, rubric });
  assert.equal(draft.supersedes, null);
  assert.equal(draft.replaces, record.id);
  assert.equal(draft.return_comment, "");
  assert.deepEqual(photos, []);
  assert.deepEqual(draft.photos, {});
});

test("a refused report is reported anew: a new house id, its address and note, the survey if it had one", () => {
  const report = reportDraft(rubric);
  Object.assign(report.report, { address_text: "東京都千代田区四番町4", notes: "草が伸びている", with_survey: true });
  report.answers.condition = "broken";
  const record = saved(report, { source: "server", code: "invalid", message: "…" });
  const { draft } = correctionDraft({ record, inspection: record.op.inspection, rubric });
  assert.deepEqual(draft.report, { address_text: "東京都千代田区四番町4", notes: "草が伸びている", with_survey: true });
  assert.match(draft.property_id, UUID);
  assert.notEqual(draft.property_id, report.property_id);
  assert.equal(draft.kind, "survey");
  assert.equal(draft.answers.condition, "broken");

  const bare = reportDraft(rubric);
  bare.report.address_text = "東京都千代田区五番町5";
  const without = saved(bare, { source: "server", code: "invalid", message: "…" });
  const { draft: again } = correctionDraft({ record: without, inspection: null, rubric });
  assert.equal(again.report.with_survey, false);
  assert.deepEqual(again.answers, {});
  assert.equal(again.title, "東京都千代田区五番町5");
});

test("a record returned to a phone that never held it is corrected from the server's inspection", () => {
  const record = { id: "insp-9", type: "remote", op: null, photos: [],
    summary: { title: "", kind: null, property_id: "house-9", task_id: "task-9" },
    problem: { source: "review", code: "returned", comment: "門の写真がありません" } };
  const inspection = { id: "insp-9", task_id: "task-9", property_id: "house-9", rubric_id: "watch_basic", rubric_version: 1,
    answers: { exterior: "ok" }, notes: "前の備考" };
  const found = correctionRubric(inspection, rubrics);
  assert.equal(found, watch);
  const { draft } = correctionDraft({ record, inspection, rubric: found });
  assert.deepEqual([draft.task_id, draft.property_id, draft.kind, draft.supersedes, draft.notes, draft.rubric_ref],
    ["task-9", "house-9", "watch", "insp-9", "前の備考", "watch_basic@1"]);
  assert.deepEqual(draft.answers, { exterior: "ok" });
  assert.deepEqual(draft.options, []);
});

test("the rubric of a correction is the record's own version, or the newest survey for a bare report", () => {
  assert.equal(correctionRubric({ rubric_id: "municipal_survey", rubric_version: 1 }, rubrics), rubricOf("municipal_survey", 1));
  assert.equal(correctionRubric({ rubric_id: "watch_basic", rubric_version: 9 }, rubrics), undefined);
  assert.equal(correctionRubric(null, rubrics), rubricOf("municipal_survey", 3));
  assert.equal(newestSurveyRubric(new Map()), null);
});

test("the last approved visit is the house's visit with the same rubric", () => {
  assert.deepEqual(lastApprovedFor(house, rubric), { rubric_id: rubric.id, answers: { condition: "good" } });
  assert.equal(lastApprovedFor(house, rubricOf("post_disaster", 1)), null);
  assert.equal(lastApprovedFor(undefined, rubric), null);
});

test("drafts.js is plain data: no DOM, no IndexedDB, only the pure modules imported", () => {
  const source = readFileSync(new URL("../../field_app/js/drafts.js", import.meta.url), "utf8");
  assert.deepEqual([...source.matchAll(/^import .* from "(.*)";$/gm)].map((m) => m[1]), ["./labels.js", "./plain-text.js", "./rubric-engine.js"]);
  assert.doesNotMatch(source, /\b(document|window|indexedDB|navigator|localStorage)\b/);
});

test("control characters pasted into a record are stripped before it is sent; notes keep their lines", () => {
  const draft = filledDraft();
  Object.assign(draft.answers, { condition: "worn", condition_note: "壁に\u0000ひび\n二行目\t続き\u001b" });
  draft.notes = "局への\u0000連絡\r\n以上\u0007";
  const { inspection } = draftToOp(draft, rubric, fix).op;
  assert.equal(inspection.answers.condition_note, "壁にひび\n二行目\t続き");
  assert.equal(inspection.notes, "局への連絡\r\n以上");

  const report = reportDraft(rubric);
  Object.assign(report.report, { address_text: "東京都千代田区\u0000二番町\n2-2\t", notes: "雨戸\u0000\n閉" });
  const { property } = draftToOp(report, rubric, fix).op;
  assert.equal(property.address_text, "東京都千代田区二番町2-2");
  assert.equal(property.notes, "雨戸\n閉");
});

test("the owner's requested spot needs its note and photo, or a reason it could not be checked", async () => {
  const { requestedSpotErrors } = await import("../../field_app/js/requested-spot.js");
  const watch = vectors.rubrics.find((r) => r.id === "watch_basic" && r.version === 2);
  const codes = (spot, answers, slots) => requestedSpotErrors(watch, spot, answers, slots).map((e) => [e.item, e.code]);
  assert.deepEqual(codes("裏庭の物置", {}, []), [["requested_spot_note", "requested_spot_missing"],
    ["requested_spot", "requested_spot_photo"]]);
  assert.deepEqual(codes("裏庭の物置", { requested_spot_note: "扉は閉まっていた" }, ["requested_spot"]), []);
  assert.deepEqual(codes("裏庭の物置", { requested_spot_note: "  " }, ["requested_spot"]),
    [["requested_spot_note", "requested_spot_missing"]]);
  assert.deepEqual(codes("裏庭の物置", { requested_spot_unchecked: "no_entry" }, []), []);
  assert.deepEqual(codes("", {}, []), []); // no request, nothing asked
  assert.match(requestedSpotErrors(watch, "裏庭の物置", {}, [])[0].message, /ご依頼箇所「裏庭の物置」の様子を「ご依頼箇所の状況」に書いて/);
});
