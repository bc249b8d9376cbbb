// Applying GET /sync/pull to the local stores in one transaction: without a cursor the answer
// replaces tasks and houses; with one, it is a list of changes. Rubrics are kept (versioned),
// so a record can still be corrected after its task is gone.

import { request, transact } from "./db.js";
import { markReturned } from "./records.js";

export async function applyPull(data, full) {
  await transact(["meta", "rubrics", "properties", "tasks", "outbox"], "readwrite", async (s) => {
    if (full) {
      s.tasks.clear();
      s.properties.clear();
    }
    data.rubrics.forEach((rubric) => s.rubrics.put({ ref: `${rubric.id}@${rubric.version}`, rubric }));
    data.properties.forEach((property) => s.properties.put(property));
    data.tasks.forEach((task) => s.tasks.put(task));
    data.deleted.tasks.forEach((id) => s.tasks.delete(id));
    data.deleted.properties.forEach((id) => s.properties.delete(id));
    await markReturned(s, data.returned);
    if (data.office) s.meta.put({ key: "office", value: data.office });
    s.meta.put({ key: "cursor", value: data.cursor });
    s.meta.put({ key: "last_pull", value: new Date().toISOString() });
  });
}

// Everything the task list and forms read, in one go.
export async function localWork() {
  return transact(["tasks", "properties", "rubrics", "meta"], "readonly", async (s) => ({
    tasks: await request(s.tasks.getAll()),
    properties: new Map((await request(s.properties.getAll())).map((p) => [p.id, p])),
    rubrics: new Map((await request(s.rubrics.getAll())).map((r) => [r.ref, r.rubric])),
    office: (await request(s.meta.get("office")))?.value ?? null,
  }));
}
