// The day's plan (route-order.js): moved here from the browser tests, since it needs no browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import { distanceM } from "../../field_app/js/geo.js";
import { groupOf, planDay } from "../../field_app/js/route-order.js";

const office = { lat: 35.0, lon: 139.0 };
const task = (id, kind, due, priority = 0) => ({ id, kind, due, priority, property_id: `p-${id}` });
const at = (id, lat) => [`p-${id}`, { id: `p-${id}`, lat, lon: 139.0 }];
const tasks = [task("far", "watch", "2026-11-28"), task("near", "watch", "2026-11-28"),
  task("late", "survey", "2026-11-20"), task("storm", "disaster", "2026-11-29", 2),
  task("next", "watch", "2026-12-03"), task("mid", "survey", "2026-11-28")];
const places = new Map([at("far", 35.03), at("near", 35.001), at("late", 35.05), at("storm", 35.1),
  at("next", 35.0), at("mid", 35.02)]);

test("the day starts with disaster visits, then overdue, then today in walking order", () => {
  const plan = planDay(tasks, places, office, "2026-11-28");
  // After the storm (35.1) and the overdue house (35.05), today's walk continues from there: far, mid, near.
  assert.deepEqual(plan.map((group) => [group.key, group.entries.map((entry) => entry.task.id)]),
    [["disaster", ["storm"]], ["overdue", ["late"]], ["today", ["far", "mid", "near"]], ["later", ["next"]]]);
});

test("stops are numbered through the day and each leg is measured from the house before", () => {
  const entries = planDay(tasks, places, office, "2026-11-28").flatMap((group) => group.entries);
  assert.deepEqual(entries.map((e) => e.stop), [1, 2, 3, 4, 5, 6]);
  assert.equal(Math.round(entries[0].legM), Math.round(distanceM(office, places.get("p-storm"))));
  entries.slice(1).forEach((entry, i) => {
    assert.equal(Math.round(entry.legM), Math.round(distanceM(entries[i].property, entry.property)));
  });
});

test("houses without coordinates come last in their group, with no leg", () => {
  const unplaced = { ...task("lost", "watch", "2026-11-28"), property_id: "p-lost" };
  const withLost = new Map([...places, ["p-lost", { id: "p-lost", lat: null, lon: null }]]);
  const today = planDay([unplaced, ...tasks], withLost, office, "2026-11-28").find((g) => g.key === "today");
  assert.deepEqual(today.entries.map((e) => [e.task.id, e.legM === null]),
    [["far", false], ["mid", false], ["near", false], ["lost", true]]);
});

test("without a starting point the first house of the day has no leg", () => {
  const [first] = planDay(tasks, places, null, "2026-11-28")[0].entries;
  assert.equal(first.legM, null);
});

test("urgent tasks of any kind join the disaster group", () => {
  assert.equal(groupOf(task("u", "watch", "2026-12-30", 2), "2026-11-28"), "disaster");
  assert.equal(groupOf(task("p", "watch", "2026-11-28", 1), "2026-11-28"), "today");
});
