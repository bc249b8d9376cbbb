// The outbox engine. One cycle: push waiting records (batched; the same op_id on every retry),
// then upload their photos, then pull. A record is "sent" only when its push was applied or a
// duplicate AND every photo got 200/201. Network errors and 5xx keep everything and retry with
// backoff; a rejected record waits for the carrier with the server's message.

import { ApiError, NetworkError, call } from "./api.js";
import { getMeta, setMeta } from "./db.js";
import { syncGuides } from "./guides.js";
import { applyPull, localWork } from "./pull.js";
import { listRecords, photoRow, updateRecords } from "./records.js";
import { markSignedOut, session } from "./session.js";

const BATCH = 20;
const PHOTO_TRIES = 3; // sha256 mismatches (bytes damaged on the way) before asking the carrier
const RETRY_MS = [3000, 10000, 30000, 60000, 120000, 300000];
const TICK_MS = 60000;

const problemOf = (error, source = "server") => ({
  source, code: error.code ?? "error", message: error.message, details: error.details ?? null,
});

// A record with an urgent finding goes before the others (oldest first within each group).
export const isUrgent = (record) => (record.summary?.urgent ?? []).length > 0;
export const urgentFirst = (records) => [...records].sort((a, b) => Number(isUrgent(b)) - Number(isUrgent(a)));

let progress = false; // something got through in this cycle: retry soon again

async function pushWaiting(login) {
  const waiting = urgentFirst((await listRecords()).filter((r) => r.login === login && !r.pushed
    && (r.state === "waiting" || r.state === "sending")));
  for (let i = 0; i < waiting.length; i += BATCH) {
    const chunk = await updateRecords(waiting.slice(i, i + BATCH).map((r) => r.seq),
      (r) => (r.pushed || !["waiting", "sending"].includes(r.state) ? null : { ...r, state: "sending" }));
    if (!chunk.length) continue;
    let results;
    try {
      ({ data: { results } } = await call("/sync/push", {
        method: "POST", json: { device_id: await getMeta("device_id"), ops: chunk.map((r) => r.op) } }));
    } catch (error) {
      if (error instanceof ApiError && !error.retryable && error.status !== 401) {
        await updateRecords(chunk.map((r) => r.seq), (r) => ({ ...r, state: "attention", problem: problemOf(error) }));
        continue;
      }
      // Unknown whether the server got it: waiting again, resent later with the same op_id.
      await updateRecords(chunk.map((r) => r.seq), (r) => (r.state === "sending" ? { ...r, state: "waiting" } : null));
      throw error;
    }
    progress = true;
    const byOp = new Map(results.map((result) => [result.op_id, result]));
    await updateRecords(chunk.map((r) => r.seq), (r) => {
      const result = byOp.get(r.op_id);
      if (!result) return null;
      if (result.status === "applied" || result.status === "duplicate") {
        const done = r.photos.every((p) => p.uploaded);
        // The office's 至急 list has it: raised now (applied) or when the lost first answer applied it.
        const urgentAck = isUrgent(r) && (result.status === "duplicate" || result.urgent > 0) ? new Date().toISOString() : null;
        return { ...r, pushed: true, state: done ? "sent" : "sending", sent_at: done ? new Date().toISOString() : null,
          urgent_ack_at: r.urgent_ack_at ?? urgentAck };
      }
      return { ...r, state: "attention", problem: problemOf(result.error ?? { code: result.status, message: "送信できませんでした。" }) };
    });
  }
}

async function uploadPhotos(login) {
  const records = urgentFirst(await listRecords()).filter((r) => r.login === login && r.pushed && r.state === "sending");
  for (const record of records) {
    for (const photo of record.photos.filter((p) => !p.uploaded)) {
      const row = await photoRow(photo.id);
      if (!row) {
        await setProblem(record.seq, { source: "device", code: "photo_missing",
          message: `写真「${photo.slot}」のデータが端末にありません。記録を直して撮り直してください。` });
        break;
      }
      try {
        await call(`/photos/${photo.id}`, { method: "PUT", body: row.blob, headers: { "Content-Type": "image/jpeg" }, timeoutMs: 180000 });
      } catch (error) {
        if (!(error instanceof ApiError) || error.retryable || error.status === 401) throw error;
        const tries = (record.photo_tries ?? 0) + 1;
        if (error.code === "sha256_mismatch" && tries < PHOTO_TRIES) {
          await updateRecords([record.seq], (r) => ({ ...r, photo_tries: tries }));
          break;
        }
        await setProblem(record.seq, problemOf(error));
        break;
      }
      progress = true;
      await updateRecords([record.seq], (r) => {
        const photos = r.photos.map((p) => (p.id === photo.id ? { ...p, uploaded: true } : p));
        const done = photos.every((p) => p.uploaded);
        return { ...r, photos, state: done ? "sent" : r.state, sent_at: done ? new Date().toISOString() : null };
      });
    }
  }
}

const setProblem = (seq, problem) => updateRecords([seq], (r) => ({ ...r, state: "attention", problem }));

async function pull() {
  const cursor = await getMeta("cursor");
  const { data } = await call(`/sync/pull${cursor ? `?since=${encodeURIComponent(cursor)}` : ""}`);
  await applyPull(data, !cursor);
  try {
    await syncGuides(await localWork());
  } catch (error) { // a missing guide never stops the sync; the next cycle tries again
    console.warn("guides", error);
  }
}

export class Sync extends EventTarget {
  constructor() {
    super();
    this.running = null;
    this.again = false;
    this.failures = 0;
    this.retryTimer = null;
    this.state = "idle"; // idle | running | offline | signed_out | error
    this.lastError = null;
  }

  // Start a cycle now (or right after the one running). Resolves when the work is done.
  request() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => { this.running = null; });
    return this.running;
  }

  async loop() {
    do {
      this.again = false;
      await this.cycle();
    } while (this.again);
  }

  async cycle() {
    const login = session()?.user?.login;
    if (!session()?.token || !login) return;
    clearTimeout(this.retryTimer);
    progress = false;
    this.set("running");
    try {
      const work = async () => { await pushWaiting(login); await uploadPhotos(login); await pull(); };
      if (navigator.locks) await navigator.locks.request("akiya-sync", work); // one tab at a time
      else await work();
      this.failures = 0;
      await setMeta("last_sync", new Date().toISOString());
      this.lastError = null;
      this.set("idle");
    } catch (error) {
      this.lastError = error;
      if (error instanceof ApiError && error.status === 401) {
        await markSignedOut();
        this.set("signed_out");
      } else if (error instanceof NetworkError || (error instanceof ApiError && error.retryable)) {
        if (progress) this.failures = 0;
        this.scheduleRetry();
        this.set(error instanceof NetworkError ? "offline" : "error");
      } else {
        this.set("error");
        console.error(error);
      }
    }
  }

  scheduleRetry() {
    const base = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)];
    this.failures += 1;
    this.retryTimer = setTimeout(() => this.request(), base * (0.75 + Math.random() * 0.5));
  }

  set(state) {
    this.state = state;
    this.dispatchEvent(new Event("change"));
  }

  // Triggers: start, back online, back to the app, a timer while open (the caller adds: after save, button).
  startTriggers() {
    window.addEventListener("online", () => { this.failures = 0; this.request(); });
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") this.request(); });
    setInterval(() => { if (document.visibilityState === "visible") this.request(); }, TICK_MS);
    return this.request();
  }
}
