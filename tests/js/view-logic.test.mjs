// The plain-data parts of the view modules (no element is built here): last visit's findings
// and the fast path's normal answers, the address suggestion, the stepper's start, map links.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { nearestKnown } from "../../field_app/js/views/address-suggest.js";
import { stepStart } from "../../field_app/js/views/item-field.js";
import { fastPathItems, findings, normalValue } from "../../field_app/js/views/last-visit.js";
import { mapLink } from "../../field_app/js/views/task-list-view.js";

const vectors = JSON.parse(readFileSync(new URL("../../rubrics/conformance/vectors.json", import.meta.url), "utf8"));
const watch = vectors.rubrics.find((r) => r.id === "watch_basic" && r.version === 1);

test("last visit's findings: answers with a severity, with the notes written about them", () => {
  const answers = { exterior: "normal", entrance_area: "check", entrance_area_note: "門扉の留め金が外れていた",
    mailbox: "overflowing", litter_picked: false };
  assert.deepEqual(findings(watch, answers), [
    { key: "entrance_area", label: "玄関周辺の状況", value: "要確認", notes: ["門扉の留め金が外れていた"] },
    { key: "mailbox", label: watch.sections.flatMap((s) => s.items).find((i) => i.key === "mailbox").label,
      value: watch.sections.flatMap((s) => s.items).find((i) => i.key === "mailbox").options[2].label, notes: [] },
  ]);
  assert.deepEqual(findings(watch, { exterior: "normal" }), []);
});

test("the fast path sets required visible choices with exactly one calm answer, not paid options", () => {
  const keys = (answers, options) => fastPathItems(watch, answers, options).map((item) => item.key);
  assert.deepEqual(keys({}, ["airing"]), ["exterior", "entrance_lock", "entrance_area", "garden", "encroachment", "dumping", "mailbox"]);
  assert.ok(!keys({ airing_done: true }, ["airing"]).includes("water_state")); // part of the paid airing option
  const items = fastPathItems(watch, {}, []);
  assert.deepEqual(items.map(normalValue), ["normal", "locked", "normal", "normal", "none", "none", "none"]);
});

test("the address suggestion is the nearest known house within 500 m of the fix", () => {
  const houses = [{ id: "a", address: "一番町1", lat: 35.0, lon: 139.0 }, { id: "b", address: "二番町2", lat: 35.002, lon: 139.0 },
    { id: "c", address: "座標なし", lat: null, lon: null }];
  const near = nearestKnown(houses, { lat: 35.0019, lon: 139.0 });
  assert.equal(near.property.id, "b");
  assert.ok(near.metres > 10 && near.metres < 12, near.metres);
  assert.equal(nearestKnown(houses, { lat: 35.01, lon: 139.0 }), null); // ~890 m from b
  assert.equal(nearestKnown(houses, null), null);
});

test("a stepper starts at last visit's value, or 1, inside the item's range", () => {
  assert.equal(stepStart({ min: 0, max: 10 }, undefined), 1);
  assert.equal(stepStart({ min: 0, max: 10 }, 4), 4);
  assert.equal(stepStart({ min: 5, max: 10 }, undefined), 5);
  assert.equal(stepStart({ min: 0, max: 3 }, 8), 3);
  assert.equal(stepStart({ min: null, max: null }, 0), 0);
});

test("map links open Apple Maps on Apple devices and a geo: URI elsewhere", () => {
  const house = { lat: 35.6871, lon: 139.7401, address: "東京都千代田区一番町1-1" };
  const query = encodeURIComponent(house.address);
  assert.equal(mapLink(house, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)"),
    `https://maps.apple.com/?ll=35.6871,139.7401&q=${query}`);
  assert.equal(mapLink(house, "Mozilla/5.0 (Linux; Android 15)"), `geo:35.6871,139.7401?q=35.6871,139.7401(${query})`);
});

test("the storage-loss warning shows only when the phone is short of room, not with 10 GB free", async () => {
  const { storageRisk } = await import("../../field_app/js/views/outbox-view.js");
  const GB = 1024 ** 3;
  assert.equal(storageRisk({ persisted: false, usage: 2 * GB, quota: 12 * GB }), "roomy");
  assert.equal(storageRisk({ persisted: false, usage: 11.5 * GB, quota: 12 * GB }), "low");
  assert.equal(storageRisk({ persisted: false, usage: 50 * GB, quota: 60 * GB }), "roomy");
  assert.equal(storageRisk({ persisted: false, usage: 55 * GB, quota: 60 * GB }), "low"); // under 10% free
  assert.equal(storageRisk({ persisted: true, usage: 11.9 * GB, quota: 12 * GB }), "protected");
  assert.equal(storageRisk({ persisted: false }), "unknown");
});
