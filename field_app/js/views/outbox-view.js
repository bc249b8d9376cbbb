// Every saved record and where it stands: waiting, sending, sent, needs attention (with the
// server's message or the office's return comment, and a way to correct it). Also how much
// is pending and how much room the phone has.

import { h } from "../dom.js";
import { KIND_LABELS, STATE_LABELS, bytesLabel, dateTimeLabel } from "../labels.js";
import { deleteRecord, listRecords, updateRecords } from "../records.js";

const STATE_TAGS = { waiting: "warn", sending: "warn", sent: "ok", attention: "bad", replaced: "" };

// The browser may evict an unprotected origin only under storage pressure: warn when the phone
// is short of room (under 1 GB or 10% free), not whenever persist() was refused.
const LOW_ROOM = 1024 ** 3;

export function storageRisk({ persisted, usage = null, quota = null }) {
  if (persisted) return "protected";
  if (quota === null || usage === null) return "unknown";
  const free = Math.max(0, quota - usage);
  return free < LOW_ROOM || free < quota * 0.1 ? "low" : "roomy";
}

async function storageLines() {
  const lines = [];
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : {};
  if (estimate.quota !== undefined) {
    lines.push(h("p", `端末の保存領域: ${bytesLabel(estimate.usage)} 使用 ／ 空き ${bytesLabel(Math.max(0, estimate.quota - estimate.usage))}`));
  }
  const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : false;
  const risk = storageRisk({ persisted, usage: estimate.usage ?? null, quota: estimate.quota ?? null });
  if (risk === "protected") lines.push(h("p", "記録は端末に保護して保存されています。"));
  else if (risk === "low" || risk === "unknown") {
    lines.push(h("p.note-warn", "端末の空き容量が少ないため、送信前の記録が消される可能性があります。早めに送信してください。"));
  }
  return lines;
}

function problemBlock(record) {
  const p = record.problem;
  if (!p) return null;
  const details = Array.isArray(p.details) ? p.details.filter((d) => d && d.message).map((d) => h("li", d.message)) : [];
  return h("div.problem.note-bad",
    h("strong", p.message),
    p.comment ? h("p", `郵便局からのコメント: ${p.comment}`) : null,
    details.length ? h("ul", details) : null);
}

function actions(record, refresh) {
  if (record.state !== "attention") return null;
  const retry = async () => {
    await updateRecords([record.seq], (r) => ({ ...r, state: r.pushed ? "sending" : "waiting", problem: null }));
    refresh(true);
  };
  const remove = async () => {
    if (!window.confirm("この記録を端末から削除します。送信されていない内容は失われます。よろしいですか？")) return;
    await deleteRecord(record.seq);
    refresh(false);
  };
  const returned = record.problem?.source === "review";
  return h("div.row",
    h("a.btn.primary", { href: `#/correct/${record.id}` }, returned ? "直して送り直す" : "直して記録し直す"),
    returned ? null : h("button.btn", { type: "button", onclick: retry }, "もう一度送る"),
    returned || record.pushed ? null : h("button.btn.danger", { type: "button", onclick: remove }, "削除"));
}

function recordCard(record, refresh) {
  const uploaded = record.photos.filter((p) => p.uploaded).length;
  const kind = record.summary.kind === "report" ? "空き家の報告" : KIND_LABELS[record.summary.kind] ?? "記録";
  return h("div.card.record", { dataset: { record: record.id, state: record.state } },
    h("div.tags", h(`span.tag.${STATE_TAGS[record.state]}.state`, STATE_LABELS[record.state]), h("span.tag", kind),
      record.op?.inspection?.supersedes ? h("span.tag", "訂正") : null,
      (record.summary.urgent ?? []).length ? h("span.tag.bad", "至急") : null),
    record.urgent_ack_at ? h("p.note-ok.urgent-ack", { role: "status" }, "局に至急として届きました",
      ` （${dateTimeLabel(record.urgent_ack_at)}）`) : null,
    h("span.address", record.summary.title || "（差し戻された記録）"),
    h("p.meta", `記録 ${dateTimeLabel(record.created_at)}`,
      record.photos.length ? ` ・ 写真 ${uploaded}/${record.photos.length} 枚送信済み` : ""),
    record.state === "attention" ? problemBlock(record) : null,
    record.state === "replaced" ? h("p.meta", "訂正した記録に置き換えました。") : null,
    actions(record, refresh));
}

export async function outboxView({ sync, lastSync, refresh }) {
  const records = (await listRecords()).reverse(); // newest first
  const waiting = records.filter((r) => r.state === "waiting" || r.state === "sending").length;
  const attention = records.filter((r) => r.state === "attention").length;
  return h("section.outbox",
    h("h1", "送信状況"),
    h("div.summary-box",
      h("p", h("strong", `送信待ち ${waiting}件`), attention ? h("strong", ` ・ 要対応 ${attention}件`) : null),
      h("p", lastSync ? `最後に送受信できた時刻: ${dateTimeLabel(lastSync)}` : "まだ送受信していません。"),
      ...(await storageLines()),
      h("button.btn.primary.wide", { type: "button", onclick: () => sync.request() }, "今すぐ送信")),
    records.length ? records.map((r) => recordCard(r, refresh)) : h("p.empty", "記録はまだありません。"));
}
