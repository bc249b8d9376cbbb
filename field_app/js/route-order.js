// Today's work in the order to walk it, one stop per house with all its tasks:
// 1. 至急: houses with a task marked urgent (priority 2: the post-disaster sweep, or the office)
//    that is due by today;
// 2. the day: every other house with a task due by today (overdue ones are tagged on the card);
// 3. later: houses whose tasks are all due later.
// Inside each group a nearest-neighbour walk from where the previous group ended (the post
// office or the carrier's position at first), then improved by 2-opt: a stretch of the walk is
// reversed whenever that makes the walk shorter, until no reversal helps.

import { distanceM } from "./geo.js";

export const GROUPS = [
  { key: "urgent", title: "至急（災害後の見回りなど）" },
  { key: "today", title: "今日の作業" },
  { key: "later", title: "今後の作業" },
];

export function groupOf(task, today) {
  if (task.due > today) return "later";
  return task.priority >= 2 ? "urgent" : "today";
}

const placed = (p) => p && typeof p.lat === "number" && typeof p.lon === "number";
const RANK = new Map(GROUPS.map((group, i) => [group.key, i]));

// Tasks -> one stop per house: {property, tasks (most urgent, then earliest due first), group}.
export function stopsOf(tasks, propertiesById, today) {
  const byHouse = new Map();
  for (const task of tasks) {
    if (!byHouse.has(task.property_id)) byHouse.set(task.property_id, []);
    byHouse.get(task.property_id).push(task);
  }
  return [...byHouse.entries()].map(([propertyId, own]) => {
    own.sort((a, b) => b.priority - a.priority || a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
    const group = own.map((task) => groupOf(task, today)).sort((a, b) => RANK.get(a) - RANK.get(b))[0];
    return { property: propertiesById.get(propertyId) ?? null, tasks: own, task: own[0], group };
  });
}

// The length of a walk through `points` from `start` (no return).
export function walkLength(start, points) {
  let total = 0;
  let here = start;
  for (const point of points) {
    if (here) total += distanceM(here, point);
    here = point;
  }
  return total;
}

function nearestNext(entries, start) {
  const left = [...entries];
  const ordered = [];
  let here = start;
  while (left.length) {
    let best = 0;
    if (here) {
      let bestDistance = Infinity;
      left.forEach((e, i) => {
        const d = distanceM(here, e.property);
        if (d < bestDistance) [best, bestDistance] = [i, d];
      });
    }
    const [next] = left.splice(best, 1);
    ordered.push(next);
    here = next.property;
  }
  return ordered;
}

// 2-opt on an open walk with a fixed start: reverse entries i..j when the two legs it changes
// (into i, out of j; no leg out of the last stop) get shorter.
export function twoOpt(entries, start) {
  const route = [...entries];
  const at = (k) => (k < 0 ? start : route[k].property);
  const leg = (a, b) => (a && b ? distanceM(a, b) : 0);
  for (let improved = true, rounds = 0; improved && rounds < 100; rounds += 1) {
    improved = false;
    for (let i = 0; i < route.length - 1; i += 1) {
      for (let j = i + 1; j < route.length; j += 1) {
        const after = j + 1 < route.length ? route[j + 1].property : null;
        const before = leg(at(i - 1), at(i)) + leg(at(j), after);
        const reversed = leg(at(i - 1), at(j)) + leg(at(i), after);
        if (reversed < before - 0.01) {
          route.splice(i, j - i + 1, ...route.slice(i, j + 1).reverse());
          improved = true;
        }
      }
    }
  }
  return route;
}

// Nearest-next then 2-opt; houses without coordinates keep their order at the end, with no leg.
export function walk(entries, start) {
  const ordered = twoOpt(nearestNext(entries.filter((e) => placed(e.property)), start), start);
  let here = start;
  for (const entry of ordered) {
    entry.legM = here ? distanceM(here, entry.property) : null;
    here = entry.property;
  }
  const unplaced = entries.filter((e) => !placed(e.property)).map((e) => ({ ...e, legM: null }));
  return { ordered: ordered.concat(unplaced), end: here };
}

// [{key, title, entries: [{task, tasks, property, legM, stop}]}] without empty groups.
export function planDay(tasks, propertiesById, office, today) {
  let here = placed(office) ? office : null;
  let stop = 0;
  const stops = stopsOf(tasks, propertiesById, today)
    .sort((a, b) => a.task.due.localeCompare(b.task.due) || a.task.id.localeCompare(b.task.id));
  const plan = [];
  for (const group of GROUPS) {
    const entries = stops.filter((s) => s.group === group.key);
    if (!entries.length) continue;
    const { ordered, end } = walk(entries, here);
    here = end ?? here;
    ordered.forEach((entry) => { stop += 1; entry.stop = stop; });
    plan.push({ ...group, entries: ordered });
  }
  return plan;
}
