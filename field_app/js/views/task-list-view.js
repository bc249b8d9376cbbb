// Today's work: records the office returned first (red cards with the clerk's comment), then
// one card per house in walking order (route-order.js: 至急, the day, later) from where the
// carrier is now (the last position a form saw, if fresh) or else from the post office. Tasks
// already recorded go to the end. After a save the next house is shown first.

import { h } from "../dom.js";
import { KIND_LABELS, PRIORITY_LABELS, dateTimeLabel, dayLabel, distanceLabel, localDay, optionLabels } from "../labels.js";
import { localWork } from "../pull.js";
import { listRecords } from "../records.js";
import { planDay } from "../route-order.js";
import { resultBox } from "./result-summary.js";

// Apple's map app on iPhone/iPad; the geo: URI (any map app) elsewhere.
export function mapLink(property, userAgent = navigator.userAgent) {
  const { lat, lon, address } = property;
  if (/iPhone|iPad|iPod|Macintosh/.test(userAgent)) {
    return `https://maps.apple.com/?ll=${lat},${lon}&q=${encodeURIComponent(address)}`;
  }
  return `geo:${lat},${lon}?q=${lat},${lon}(${encodeURIComponent(address)})`;
}

// One task of a stop: a link to its form. `withAddress`: the house's only task (the whole card).
function taskLink(task, entry, today, rubrics, recorded, drafting, startLabel, withAddress) {
  const { property } = entry;
  const last = property?.last_approved.find((l) => l.rubric_id === task.rubric_id);
  const done = recorded.has(task.id);
  return h(`a.card${task.priority >= 2 ? ".urgent" : ""}${done ? ".done" : ""}${withAddress ? "" : ".in-house"}`,
    { href: `#/task/${task.id}`, dataset: { task: task.id } },
    h("div.tags",
      withAddress ? h("span.tag.stop", `${entry.stop}`) : null,
      h(`span.tag.kind-${task.kind}`, KIND_LABELS[task.kind] ?? task.kind),
      PRIORITY_LABELS[task.priority] ? h("span.tag.bad", PRIORITY_LABELS[task.priority]) : null,
      task.due < today ? h("span.tag.warn", "期限切れ") : null,
      done ? h("span.tag.ok", "記録済み") : drafting.has(task.id) ? h("span.tag.warn", "記入中") : null),
    withAddress ? h("span.address", property?.address ?? "（住所不明）") : null,
    h("p.meta", h("span.nowrap", `期限 ${dayLabel(task.due)}`),
      withAddress ? legLabel(entry, startLabel) : null),
    task.options.length ? h("p.meta", `オプション: ${optionLabels(task.options)}`) : null,
    task.note ? h("p.meta", `ご依頼・メモ: ${task.note}`) : null,
    last ? h("div.meta", h("span", `前回 ${dateTimeLabel(last.finished_at)}: `), resultBox(rubrics.get(`${last.rubric_id}@${last.rubric_version}`), last.result))
      : h("p.meta", "前回の結果: なし"));
}

// The separator stays outside the unbreakable part: a line may break there (no sideways scroll at 320 px).
const legLabel = (entry, startLabel, separator = " ・ ") => (entry.legM !== null && entry.legM !== undefined
  ? [separator, h("span.nowrap", `${entry.first ? startLabel : "前の家"}から ${distanceLabel(entry.legM)}`)] : null);

// One card per house: its only task as the card, or the house with each of its tasks inside.
function card(entry, today, rubrics, recorded, drafting, startLabel) {
  const { property } = entry;
  const tasks = entry.tasks ?? [entry.task];
  const placed = typeof property?.lat === "number" && typeof property?.lon === "number";
  const links = tasks.map((task) => taskLink(task, entry, today, rubrics, recorded, drafting, startLabel, tasks.length === 1));
  const head = tasks.length === 1 ? null : h("div.house-head",
    h("div.tags", h("span.tag.stop", `${entry.stop}`), h("span.tag", `この家の作業 ${tasks.length}件`)),
    h("span.address", property?.address ?? "（住所不明）"), h("p.meta", legLabel(entry, startLabel, "")));
  return h(`div.task${tasks.length > 1 ? ".house" : ""}`, { dataset: { property: property?.id ?? "" } }, head, links,
    placed ? h("a.maplink", { href: mapLink(property), rel: "noopener" }, "地図アプリで開く") : null);
}

function returnedCard(record, properties) {
  return h("a.card.returned", { href: `#/correct/${record.id}`, dataset: { returned: record.id } },
    h("div.tags", h("span.tag.bad", "差し戻し"), record.summary.kind ? h("span.tag", KIND_LABELS[record.summary.kind] ?? "記録") : null),
    h("span.address", record.summary.title || properties.get(record.summary.property_id)?.address || "（差し戻された記録）"),
    record.problem?.comment ? h("p.comment", `郵便局から: ${record.problem.comment}`) : null,
    h("span.btn.primary.wide", "直して送り直す"));
}

// Where the walk starts: a position from the last few minutes, else the post office.
function startOf(here, office, now = Date.now()) {
  if (here && now - here.at < 30 * 60 * 1000) return { point: here, label: "現在地" };
  if (office && typeof office.lat === "number") return { point: office, label: office.name };
  return { point: null, label: "" };
}

export async function taskListView({ drafts, here = null, savedTask = null }) {
  const { tasks, properties, rubrics, office } = await localWork();
  const records = await listRecords();
  const recorded = new Set(records.filter((r) => r.state !== "replaced" && r.summary.task_id)
    .map((r) => r.summary.task_id));
  const returned = records.filter((r) => r.state === "attention" && r.problem?.source === "review");
  const drafting = new Set(drafts.map((d) => d.task_id).filter(Boolean));
  const today = localDay();
  const start = startOf(here, office);
  const open = tasks.filter((t) => !recorded.has(t.id));
  const plan = planDay(open, properties, start.point, today);
  const body = h("section.tasks", h("h1", `今日の作業（${dayLabel(today)}）`));
  if (returned.length) {
    body.append(h("h2.group-title.bad", `差し戻された記録（${returned.length}件）`), ...returned.map((r) => returnedCard(r, properties)));
  }
  const first = plan[0]?.entries[0];
  if (first) first.first = true;
  if (savedTask && first) {
    body.append(h("p.note-ok.saved", { role: "status" }, "保存しました。次の家です。"));
  }
  if (start.label) body.append(h("p.help.order", `${start.label}から近い順に並べています（次の家へは前の家から近い順）。`));
  if (!plan.length && !recorded.size) body.append(h("p.empty", "割り当てられた作業はありません。"));
  else if (!plan.length) body.append(h("p.note-ok", "今日の作業はすべて記録しました。"));
  for (const group of plan) {
    body.append(h("h2.group-title", `${group.title}（${group.entries.length}件）`),
      ...group.entries.map((entry) => card(entry, today, rubrics, recorded, drafting, start.label)));
  }
  const done = tasks.filter((t) => recorded.has(t.id));
  if (done.length) {
    let stop = plan.reduce((n, g) => n + g.entries.length, 0);
    body.append(h("h2.group-title", `記録済み（${done.length}件）`),
      ...done.map((task) => card({ task, tasks: [task], property: properties.get(task.property_id) ?? null, legM: null, stop: (stop += 1) },
        today, rubrics, recorded, drafting, start.label)));
  }
  return body;
}
