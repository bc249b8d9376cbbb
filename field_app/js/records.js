// Drafts (forms in progress), the outbox (saved records, oldest first) and photo Blobs, all
// in IndexedDB. A record is frozen once saved: a fix is a new record that replaces it.
//
// Outbox record: {seq, id, op_id, type, login, state: waiting|sending|sent|attention|replaced,
//   pushed, op (the exact JSON pushed, same op_id on every retry), photos: [{id, slot, sha256,
//   uploaded}], summary: {title, kind, property_id, task_id, rubric_ref, options}, problem:
//   {source: "server"|"review"|"device", code, message, details, comment}, replaced_by, created_at}

import { request, transact } from "./db.js";

const SENT_PHOTOS_KEPT_DAYS = 14;

export async function getDraft(id) {
  return transact("drafts", "readonly", (s) => request(s.drafts.get(id)));
}

export async function findDraft(match) {
  const drafts = await transact("drafts", "readonly", (s) => request(s.drafts.getAll()));
  return drafts.find(match) ?? null;
}

export const saveDraft = (draft) => transact("drafts", "readwrite", (s) => request(s.drafts.put(draft)));

export async function discardDraft(id) {
  await transact(["drafts", "photos"], "readwrite", async (s) => {
    const keys = await request(s.photos.index("owner").getAllKeys(id));
    keys.forEach((key) => s.photos.delete(key));
    s.drafts.delete(id);
  });
}

// A photo of a draft: replaces the slot's earlier photo (retake) in the same transaction.
export async function storePhoto(photo, replacedId = null) {
  await transact("photos", "readwrite", (s) => {
    if (replacedId) s.photos.delete(replacedId);
    s.photos.put(photo);
  });
}

export const photoRow = (id) => transact("photos", "readonly", (s) => request(s.photos.get(id)));
export const photosOf = (owner) => transact("photos", "readonly", (s) => request(s.photos.index("owner").getAll(owner)));

// Draft -> outbox record in one transaction; the record it corrects (if any) becomes "replaced".
export async function commitDraft(draft, op, photos, summary, login) {
  const record = {
    id: draft.id, op_id: op.op_id, type: op.type, login, state: "waiting", pushed: false, op,
    photos: photos.map((p) => ({ id: p.id, slot: p.slot, sha256: p.sha256, uploaded: false })),
    summary, problem: null, replaced_by: null, created_at: new Date().toISOString(), attempts: 0,
  };
  return transact(["drafts", "outbox"], "readwrite", async (s) => {
    if (draft.replaces) {
      const old = await request(s.outbox.index("id").get(draft.replaces));
      if (old) s.outbox.put({ ...old, state: "replaced", replaced_by: draft.id });
    }
    s.drafts.delete(draft.id);
    record.seq = await request(s.outbox.add(record));
    return record;
  });
}

export const listRecords = () => transact("outbox", "readonly", (s) => request(s.outbox.getAll()));
export const recordById = (id) => transact("outbox", "readonly", (s) => request(s.outbox.index("id").get(id)));

export async function counts() {
  const records = await listRecords();
  const waiting = records.filter((r) => r.state === "waiting" || r.state === "sending").length;
  const attention = records.filter((r) => r.state === "attention").length;
  return { waiting, attention };
}

// Change records by seq: `change(record)` returns the new record (or null to leave it).
export async function updateRecords(seqs, change) {
  return transact("outbox", "readwrite", async (s) => {
    const updated = [];
    for (const seq of seqs) {
      const record = await request(s.outbox.get(seq));
      const next = record && change(record);
      if (next) { s.outbox.put(next); updated.push(next); }
    }
    return updated;
  });
}

// A record the carrier gives up on (e.g. the task went to someone else): gone with its photos.
export async function deleteRecord(seq) {
  await transact(["outbox", "photos"], "readwrite", async (s) => {
    const record = await request(s.outbox.get(seq));
    if (!record) return;
    record.photos.forEach((p) => s.photos.delete(p.id));
    s.outbox.delete(seq);
  });
}

// Mark records the office returned ({inspection_id, comment, ...} from pull), inside `stores`.
export async function markReturned(stores, returned) {
  for (const item of returned) {
    const record = await request(stores.outbox.index("id").get(item.inspection_id));
    const problem = { source: "review", code: "returned", message: "郵便局から差し戻されました。内容を直して送り直してください。",
      comment: item.comment, reviewed_at: item.reviewed_at };
    if (record && record.state !== "replaced") {
      stores.outbox.put({ ...record, state: "attention", problem });
    } else if (!record) { // returned to a record this phone never held (e.g. a new phone)
      stores.outbox.add({
        id: item.inspection_id, op_id: null, type: "remote", state: "attention", pushed: true, op: null, photos: [],
        summary: { title: item.address ?? "", kind: null, property_id: item.property_id, task_id: item.task_id }, problem,
        replaced_by: null, created_at: new Date().toISOString(), attempts: 0,
      });
    }
  }
}

// Free space: photo Blobs of records sent more than two weeks ago, and photos nobody owns.
export async function pruneStorage(now = Date.now()) {
  await transact(["outbox", "photos", "drafts"], "readwrite", async (s) => {
    const records = await request(s.outbox.getAll());
    const drafts = await request(s.drafts.getAllKeys());
    const keep = new Set(drafts);
    const cutoff = now - SENT_PHOTOS_KEPT_DAYS * 24 * 3600 * 1000;
    for (const r of records) {
      const old = (r.state === "sent" || r.state === "replaced") && Date.parse(r.sent_at ?? r.created_at) < cutoff;
      if (!old) r.photos.forEach((p) => keep.add(p.id));
    }
    const photos = await request(s.photos.getAll());
    photos.filter((p) => !keep.has(p.id) && !keep.has(p.owner)).forEach((p) => s.photos.delete(p.id));
  });
}
