// Today's work in the order to do it: post-disaster (and urgent) visits first, then overdue,
// then due today, then later; inside each group a nearest-neighbour walk that starts at the
// post office and carries on from the last house of the previous group.

import { distanceM } from "./geo.js";

export const GROUPS = [
  { key: "disaster", title: "災害後の見回り・至急" },
  { key: "overdue", title: "期限を過ぎた作業" },
  { key: "today", title: "今日の作業" },
  { key: "later", title: "今後の作業" },
];

export function groupOf(task, today) {
  if (task.kind === "disaster" || task.priority >= 2) return "disaster";
  if (task.due < today) return "overdue";
  return task.due === today ? "today" : "later";
}

const placed = (p) => p && typeof p.lat === "number" && typeof p.lon === "number";

// Nearest neighbour from `start`; entries without coordinates keep their order at the end.
export function walk(entries, start) {
  const left = entries.filter((e) => placed(e.property));
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
    next.legM = here ? distanceM(here, next.property) : null;
    ordered.push(next);
    here = next.property;
  }
  const unplaced = entries.filter((e) => !placed(e.property)).map((e) => ({ ...e, legM: null }));
  return { ordered: ordered.concat(unplaced), end: here };
}

// [{key, title, entries: [{task, property, legM, stop}]}] without empty groups.
export function planDay(tasks, propertiesById, office, today) {
  let here = placed(office) ? office : null;
  let stop = 0;
  const plan = [];
  for (const group of GROUPS) {
    const entries = tasks
      .filter((task) => groupOf(task, today) === group.key)
      .sort((a, b) => b.priority - a.priority || a.due.localeCompare(b.due) || a.id.localeCompare(b.id))
      .map((task) => ({ task, property: propertiesById.get(task.property_id) ?? null }));
    if (!entries.length) continue;
    const { ordered, end } = walk(entries, here);
    here = end ?? here;
    ordered.forEach((entry) => { stop += 1; entry.stop = stop; });
    plan.push({ ...group, entries: ordered });
  }
  return plan;
}
