// The controller: routes (#/tasks, #/task/ID, #/report, #/outbox, #/correct/ID), the service
// worker and its update offer, sync triggers and the status shown on every screen.
//
// Each screen is a module views/NAME-view.js exporting `nameView(options)`, which returns (or
// resolves to) the screen's element; `show` puts it in #view. A screen that holds something
// while shown (the form watches the position) takes an AbortSignal and lets go when it aborts.
// What a screen edits comes from drafts.js (task, report or record to draft and back).

import { call } from "./api.js";
import { getMeta, setMeta } from "./db.js";
import { correctionDraft, correctionRubric, lastApprovedFor, newestSurveyRubric, reportDraft, taskDraft } from "./drafts.js";
import { localWork } from "./pull.js";
import { counts, findDraft, photosOf, pruneStorage, recordById, listRecords, storePhoto } from "./records.js";
import { isUsable, loadSession, session, signOut } from "./session.js";
import { Sync } from "./sync.js";
import { banners } from "./views/banners.js";
import { inspectionFormView } from "./views/inspection-form-view.js";
import { loginView } from "./views/login-view.js";
import { messageView } from "./views/message-view.js";
import { outboxView } from "./views/outbox-view.js";
import { taskListView } from "./views/task-list-view.js";

const view = document.getElementById("view");
const sync = new Sync();
const app = { form: null, route: null, updateReady: null, offlineReady: false, started: false };

// Every screen starts at its top: which house this is comes first.
function show(...nodes) {
  view.replaceChildren(...nodes);
  window.scrollTo(0, 0);
}

// app.form: the open form's AbortController (aborting it closes the form).
function closeForm() {
  app.form?.abort();
  app.form = null;
}

function openForm(options) {
  closeForm();
  app.form = new AbortController();
  show(inspectionFormView({
    ...options, login: session().user.login, signal: app.form.signal,
    onDone: ({ saved }) => {
      app.form = null;
      if (saved) sync.request();
      app.justSaved = saved?.summary?.task_id ?? null;
      location.hash = saved && !saved.summary.task_id ? "#/outbox" : "#/tasks";
    },
  }));
}

const message = (title, text, link, label) => messageView({ title, text, link, label });

async function openTask(taskId) {
  const { tasks, properties, rubrics } = await localWork();
  const task = tasks.find((t) => t.id === taskId);
  if (!task) return show(message("作業が見つかりません", "この作業は取り消されたか、別の人に変更されました。"));
  const recorded = (await listRecords()).find((r) => r.summary.task_id === taskId && r.state !== "replaced");
  if (recorded) return show(message("記録済みです", "この作業は記録済みです。送信状況を確認してください。", "#/outbox", "送信状況へ"));
  const rubric = rubrics.get(`${task.rubric_id}@${task.rubric_version}`);
  if (!rubric) return show(message("調査票がありません", "電波のある所で「送信」を押して、調査票を受け取ってください。"));
  const property = properties.get(task.property_id) ?? null;
  const draft = await findDraft((d) => d.task_id === taskId && !d.replaces) ?? taskDraft({ task, property, rubric });
  openForm({ draft, rubric, lastApproved: lastApprovedFor(property, rubric) });
}

async function openReport() {
  const { rubrics, properties } = await localWork();
  const rubric = newestSurveyRubric(rubrics);
  const draft = await findDraft((d) => d.report && !d.replaces) ?? reportDraft(rubric);
  openForm({ draft, rubric, lastApproved: null, knownProperties: [...properties.values()] });
}

// A record that needs attention opened again as a new draft with its answers and photos.
async function openCorrection(recordId) {
  const record = await recordById(recordId);
  if (!record || record.state !== "attention") return show(message("訂正できません", "この記録は訂正の対象ではありません。", "#/outbox", "送信状況へ"));
  const existing = await findDraft((d) => d.replaces === recordId);
  const { rubrics } = await localWork();
  let inspection = record.op?.inspection ?? null;
  if (record.type === "remote") { // returned to this carrier but never held on this phone
    try {
      inspection = (await call(`/inspections/${recordId}`)).data;
    } catch {
      return show(message("記録を取得できません", "電波のある所でもう一度開いてください。", "#/outbox", "送信状況へ"));
    }
  }
  const rubric = correctionRubric(inspection, rubrics);
  if (inspection && !rubric) return show(message("調査票がありません", "電波のある所で「送信」を押してから開いてください。", "#/outbox", "送信状況へ"));
  let draft = existing;
  if (!draft) {
    const corrected = correctionDraft({ record, inspection, rubric, photos: await photosOf(recordId) });
    for (const photo of corrected.photos) await storePhoto(photo); // the record's photos, kept under new ids
    draft = corrected.draft;
  }
  const { properties } = await localWork();
  openForm({ draft, rubric, lastApproved: lastApprovedFor(properties.get(draft.property_id), rubric) });
}

async function route() {
  const [, name = "tasks", id] = location.hash.match(/^#\/([a-z]+)\/?(.*)$/) ?? [];
  if (app.form && name !== app.route?.name) closeForm();
  app.route = { name, id };
  if (name !== "tasks") app.justSaved = null; // "保存しました。次の家です。" until the carrier moves on
  document.getElementById("tabs").hidden = !isUsable();
  document.getElementById("menu").hidden = !isUsable();
  if (!isUsable()) {
    const s = session();
    const reason = s ? "ログインの期限が切れたか、ログアウトしました。送信待ちの記録は端末に残っています。" : "";
    show(loginView({ lastLogin: s?.user?.login ?? "", reason, onSignedIn: started }));
    return renderStatus();
  }
  document.querySelectorAll(".tabs a").forEach((a) => a.classList.toggle("current", a.dataset.tab === name));
  if (name === "task" && id) await openTask(id);
  else if (name === "report") await openReport();
  else if (name === "correct" && id) await openCorrection(id);
  else if (name === "outbox") await showOutbox();
  else show(await taskListView({ drafts: await allDrafts(), here: await getMeta("last_fix"), savedTask: app.justSaved }));
  renderStatus();
}

const allDrafts = async () => {
  const drafts = [];
  await findDraft((d) => { drafts.push(d); return false; });
  return drafts;
};

async function showOutbox() {
  show(await outboxView({
    sync, lastSync: await getMeta("last_sync"),
    refresh: (andSync) => { if (andSync) sync.request(); showOutbox(); },
  }));
}

// Logout sits in the menu, away from 送信; it asks first only when records have not been sent.
async function signOutAsked() {
  document.getElementById("menu").open = false;
  const { waiting, attention } = await counts();
  const unsent = waiting + attention;
  if (unsent && !window.confirm(`未送信の記録が${unsent}件あります。記録は端末に残り、次にログインしたときに送ります。ログアウトしますか？`)) return;
  closeForm();
  await signOut();
  route();
}

async function renderStatus() {
  const online = navigator.onLine;
  const net = document.getElementById("net-state");
  net.className = `net-state${online ? "" : " offline"}`;
  net.textContent = !online ? "圏外（端末に保存）" : sync.state === "running" ? "送受信中…" : sync.state === "offline" ? "つながりません" : "";
  const { waiting, attention } = await counts();
  const badge = document.getElementById("pending-badge");
  badge.hidden = !(waiting + attention);
  badge.textContent = String(waiting + attention);
  document.getElementById("banners").replaceChildren(...banners({
    session: session(),
    offlineReady: app.offlineReady, updateReady: app.updateReady, inForm: Boolean(app.form),
    onSignIn: () => { closeForm(); show(loginView({ lastLogin: session()?.user?.login ?? "", onSignedIn: started })); },
    onUpdate: () => { app.updateReady?.postMessage("skip-waiting"); },
    onDismiss: () => { app.offlineReady = false; renderStatus(); },
  }));
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("sw.js");
  const waiting = (worker) => { app.updateReady = worker; renderStatus(); };
  if (registration.waiting && navigator.serviceWorker.controller) waiting(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", async () => {
      if (worker.state !== "installed") return;
      if (navigator.serviceWorker.controller) return waiting(worker);
      if (!(await getMeta("offline_ready_shown"))) {
        app.offlineReady = true;
        await setMeta("offline_ready_shown", true);
        renderStatus();
      }
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (app.updateReady && !reloading) { reloading = true; location.reload(); }
  });
}

// After sign-in (and at start when signed in): sync triggers once, then the current screen.
function started() {
  if (!app.started) {
    app.started = true;
    sync.startTriggers();
  } else {
    sync.request();
  }
  route();
}

async function boot() {
  sync.addEventListener("change", async () => {
    await renderStatus();
    if (sync.state === "signed_out") return route();
    if (sync.state !== "running" && !app.form && ["tasks", "outbox"].includes(app.route?.name)) route();
  });
  window.addEventListener("hashchange", route);
  window.addEventListener("online", renderStatus);
  window.addEventListener("offline", renderStatus);
  document.getElementById("sync-button").addEventListener("click", () => sync.request());
  document.getElementById("sign-out").addEventListener("click", signOutAsked);
  await loadSession();
  registerServiceWorker().catch((error) => console.error("service worker", error));
  navigator.storage?.persist?.().catch(() => {});
  pruneStorage().catch((error) => console.error("prune", error));
  if (isUsable()) started();
  else route();
}

boot();
