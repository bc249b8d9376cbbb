// Today's work: post-disaster first, then overdue, due today and later, each group in walking
// order from the post office. A card shows the address, kind, due date, options and the
// house's last approved result.

import { h } from "../dom.js";
import { KIND_LABELS, PRIORITY_LABELS, dateTimeLabel, dayLabel, distanceLabel, localDay, optionLabels } from "../labels.js";
import { localWork } from "../pull.js";
import { listRecords } from "../records.js";
import { planDay } from "../route-order.js";
import { resultBox } from "./result-summary.js";

function card(entry, today, rubrics, recorded, drafting) {
  const { task, property } = entry;
  const last = property?.last_approved.find((l) => l.rubric_id === task.rubric_id);
  const done = recorded.has(task.id);
  return h(`a.card${task.kind === "disaster" || task.priority >= 2 ? ".urgent" : ""}${done ? ".done" : ""}`,
    { href: `#/task/${task.id}`, dataset: { task: task.id } },
    h("div.tags",
      h("span.tag.stop", `${entry.stop}`),
      h(`span.tag.kind-${task.kind}`, KIND_LABELS[task.kind] ?? task.kind),
      PRIORITY_LABELS[task.priority] ? h("span.tag.bad", PRIORITY_LABELS[task.priority]) : null,
      task.due < today ? h("span.tag.warn", "期限切れ") : null,
      done ? h("span.tag.ok", "記録済み") : drafting.has(task.id) ? h("span.tag.warn", "記入中") : null),
    h("span.address", property?.address ?? "（住所不明）"),
    h("p.meta", h("span.nowrap", `期限 ${dayLabel(task.due)}`),
      entry.legM !== null ? h("span.nowrap", ` ・ ${entry.stop === 1 ? "局" : "前の家"}から ${distanceLabel(entry.legM)}`) : null),
    task.options.length ? h("p.meta", `オプション: ${optionLabels(task.options)}`) : null,
    task.note ? h("p.meta", `メモ: ${task.note}`) : null,
    last ? h("div.meta", h("span", `前回 ${dateTimeLabel(last.finished_at)}: `), resultBox(rubrics.get(`${last.rubric_id}@${last.rubric_version}`), last.result))
      : h("p.meta", "前回の結果: なし"));
}

export async function taskListView({ drafts }) {
  const { tasks, properties, rubrics, office } = await localWork();
  const records = await listRecords();
  const recorded = new Set(records.filter((r) => r.state !== "replaced" && r.summary.task_id)
    .map((r) => r.summary.task_id));
  const drafting = new Set(drafts.map((d) => d.task_id).filter(Boolean));
  const today = localDay();
  const plan = planDay(tasks, properties, office, today);
  const body = h("section.tasks", h("h1", `今日の作業（${dayLabel(today)}）`),
    office ? h("p.help", `${office.name}から近い順に並べています。`) : null);
  if (!plan.length) body.append(h("p.empty", "割り当てられた作業はありません。"));
  for (const group of plan) {
    body.append(h("h2.group-title", `${group.title}（${group.entries.length}件）`),
      ...group.entries.map((entry) => card(entry, today, rubrics, recorded, drafting)));
  }
  return body;
}
