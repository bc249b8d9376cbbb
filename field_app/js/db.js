// IndexedDB in a few promise helpers. Rule (idb's warning): inside a transaction await only
// IndexedDB requests, never a fetch; the transaction commits as soon as it has nothing to do.

const NAME = "akiya";
const VERSION = 2;

function upgrade(db, oldVersion) {
  if (oldVersion < 1) first(db);
  if (oldVersion < 2) db.createObjectStore("guides", { keyPath: "id" }); // last visit's thumbnails: {id, blob, size}
}

function first(db) {
  db.createObjectStore("meta", { keyPath: "key" }); // session, device_id, cursor, office, last_sync
  db.createObjectStore("rubrics", { keyPath: "ref" }); // "watch_basic@1"
  db.createObjectStore("properties", { keyPath: "id" });
  db.createObjectStore("tasks", { keyPath: "id" });
  db.createObjectStore("drafts", { keyPath: "id" }); // forms in progress, keyed by inspection id
  const outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true }); // FIFO
  outbox.createIndex("id", "id", { unique: true });
  const photos = db.createObjectStore("photos", { keyPath: "id" }); // JPEG Blobs
  photos.createIndex("owner", "owner");
}

let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => { db.close(); opening = null; };
      db.onclose = () => { opening = null; }; // e.g. dropped by the browser under memory pressure
      resolve(db);
    };
    request.onerror = () => { opening = null; reject(request.error); };
  });
  return opening;
}

export function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function begin(names, mode) {
  const options = mode === "readwrite" ? { durability: "strict" } : undefined; // survive a power cut
  try {
    return (await open()).transaction(names, mode, options);
  } catch (error) {
    if (error.name !== "InvalidStateError") throw error;
    opening = null; // the connection was closed under us: open again once
    return (await open()).transaction(names, mode, options);
  }
}

// Run `body(stores)` in one transaction; resolves with its result once the transaction committed.
export async function transact(names, mode, body) {
  const list = Array.isArray(names) ? names : [names];
  const tx = await begin(list, mode);
  const stores = Object.fromEntries(list.map((name) => [name, tx.objectStore(name)]));
  return new Promise((resolve, reject) => {
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException("transaction aborted", "AbortError"));
    Promise.resolve()
      .then(() => body(stores))
      .then((value) => { result = value; }, (error) => { try { tx.abort(); } catch { /* already done */ } reject(error); });
  });
}

export const get = (store, key) => transact(store, "readonly", (s) => request(s[store].get(key)));
export const getAll = (store) => transact(store, "readonly", (s) => request(s[store].getAll()));
export const put = (store, value) => transact(store, "readwrite", (s) => request(s[store].put(value)));
export const remove = (store, key) => transact(store, "readwrite", (s) => request(s[store].delete(key)));

export async function getMeta(key) {
  const row = await get("meta", key);
  return row ? row.value : undefined;
}

export const setMeta = (key, value) => put("meta", { key, value });
