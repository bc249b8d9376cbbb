// The day's plan (route-order.js): one stop per house, 至急 first, then the whole day in one
// walk (nearest-next, improved by 2-opt), then later work.
import assert from "node:assert/strict";
import { test } from "node:test";

import { distanceM } from "../../field_app/js/geo.js";
import { groupOf, planDay, twoOpt, walkLength } from "../../field_app/js/route-order.js";

const office = { lat: 35.0, lon: 139.0 };
const task = (id, kind, due, priority = 0, house = id) => ({ id, kind, due, priority, property_id: `p-${house}` });
const at = (id, lat, lon = 139.0) => [`p-${id}`, { id: `p-${id}`, lat, lon }];
const TODAY = "2026-11-28";
const tasks = [task("far", "watch", TODAY), task("near", "watch", TODAY),
  task("late", "survey", "2026-11-20"), task("storm", "disaster", TODAY, 2),
  task("next", "watch", "2026-12-03"), task("mid", "survey", TODAY)];
const places = new Map([at("far", 35.03), at("near", 35.001), at("late", 35.05), at("storm", 35.1),
  at("next", 35.0), at("mid", 35.02)]);
const ids = (plan) => plan.map((group) => [group.key, group.entries.map((entry) => entry.task.id)]);

test("urgent houses first, then the day's houses (overdue or not) in one walk, then later work", () => {
  const plan = planDay(tasks, places, office, TODAY);
  // From the storm (35.1) the day walks back south: late (35.05), far, mid, near.
  assert.deepEqual(ids(plan), [["urgent", ["storm"]], ["today", ["late", "far", "mid", "near"]], ["later", ["next"]]]);
});

test("a post-disaster task not marked urgent joins the day's walk instead of leading it", () => {
  const calm = [task("storm", "disaster", TODAY, 1), task("near", "watch", TODAY), task("far", "watch", TODAY)];
  const plan = planDay(calm, places, office, TODAY);
  assert.deepEqual(ids(plan), [["today", ["near", "far", "storm"]]]);
});

test("a house with several tasks is one stop carrying all of them, the most urgent first", () => {
  const two = [task("storm-check", "disaster", TODAY, 2, "near"), task("watch-near", "watch", TODAY, 0, "near"),
    task("far", "watch", TODAY)];
  const plan = planDay(two, places, office, TODAY);
  assert.deepEqual(plan.map((g) => [g.key, g.entries.map((e) => e.tasks.map((t) => t.id))]),
    [["urgent", [["storm-check", "watch-near"]]], ["today", [["far"]]]]);
  assert.deepEqual(plan.flatMap((g) => g.entries).map((e) => e.stop), [1, 2]);
});

test("stops are numbered through the day and each leg is measured from the house before", () => {
  const entries = planDay(tasks, places, office, TODAY).flatMap((group) => group.entries);
  assert.deepEqual(entries.map((e) => e.stop), [1, 2, 3, 4, 5, 6]);
  assert.equal(Math.round(entries[0].legM), Math.round(distanceM(office, places.get("p-storm"))));
  entries.slice(1).forEach((entry, i) => {
    assert.equal(Math.round(entry.legM), Math.round(distanceM(entries[i].property, entry.property)));
  });
});

test("2-opt removes the backtrack nearest-next leaves on a street with a side lane", () => {
  // Nearest-next from the office takes a (1), b (2), then the side lane s, then back to c, d:
  // the crossing legs are undone by reversing a stretch.
  const street = new Map([at("a", 35.001), at("b", 35.002), at("s", 35.0025, 139.004), at("c", 35.004),
    at("d", 35.005)]);
  const day = ["a", "b", "s", "c", "d"].map((id) => task(id, "watch", TODAY));
  const entries = planDay(day, street, office, TODAY)[0].entries;
  const points = entries.map((e) => e.property);
  const greedy = ["a", "b", "c", "d", "s"].map((id) => street.get(`p-${id}`));
  assert.ok(walkLength(office, points) <= walkLength(office, greedy) + 0.01);
  const improved = twoOpt(["a", "b", "d", "c"].map((id) => ({ property: street.get(`p-${id}`) })), office);
  assert.deepEqual(improved.map((e) => e.property.id), ["p-a", "p-b", "p-c", "p-d"]);
});

test("on random days the walk is never longer than nearest-next alone", () => {
  let seed = 7;
  const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  for (let day = 0; day < 30; day += 1) {
    const houses = Array.from({ length: 25 }, (_, i) => at(`h${i}`, 35 + random() * 0.02, 139 + random() * 0.02));
    const byId = new Map(houses);
    const list = houses.map(([key]) => task(key.slice(2), "watch", TODAY));
    const planned = planDay(list, byId, office, TODAY)[0].entries.map((e) => e.property);
    const greedy = [];
    const left = houses.map(([, p]) => p);
    let here = office;
    while (left.length) {
      left.sort((a, b) => distanceM(here, a) - distanceM(here, b));
      here = left.shift();
      greedy.push(here);
    }
    assert.ok(walkLength(office, planned) <= walkLength(office, greedy) + 0.01, `day ${day}`);
  }
});

test("houses without coordinates come last in their group, with no leg", () => {
  const unplaced = { ...task("lost", "watch", TODAY), property_id: "p-lost" };
  const withLost = new Map([...places, ["p-lost", { id: "p-lost", lat: null, lon: null }]]);
  const today = planDay([unplaced, ...tasks], withLost, office, TODAY).find((g) => g.key === "today");
  assert.deepEqual(today.entries.map((e) => [e.task.id, e.legM === null]),
    [["late", false], ["far", false], ["mid", false], ["near", false], ["lost", true]]);
});

test("without a starting point the first house of the day has no leg", () => {
  const [first] = planDay(tasks, places, null, TODAY)[0].entries;
  assert.equal(first.legM, null);
});

test("urgent tasks of any kind lead, but only once they are due", () => {
  assert.equal(groupOf(task("u", "watch", TODAY, 2), TODAY), "urgent");
  assert.equal(groupOf(task("u", "watch", "2026-11-20", 2), TODAY), "urgent");
  assert.equal(groupOf(task("u", "disaster", "2026-12-30", 2), TODAY), "later");
  assert.equal(groupOf(task("p", "watch", TODAY, 1), TODAY), "today");
});
