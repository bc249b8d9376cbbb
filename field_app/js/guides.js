// Framing guides: the thumbnails (≤ 320 px, ~20 KB each) of the last approved visit's photos,
// one per slot, fetched after each pull and kept in IndexedDB so they show offline. They use
// at most GUIDE_BUDGET_BYTES (8 MB, about 50 houses × 8 slots); houses of the nearest tasks
// come first, and guides no held house refers to any more are deleted.

import { fetchBlob } from "./api.js";
import { request, transact } from "./db.js";

export const GUIDE_BUDGET_BYTES = 8 * 1024 * 1024;

// The photo ids wanted, in task order: the owners' marked photos of the tasks' requested spots, the
// tasks' houses, then the other held houses.
function wantedIds(tasks, properties) {
  const order = [...new Set(tasks.map((t) => t.property_id)), ...properties.keys()];
  const ids = tasks.map((t) => t.requested_spot_photo_id).filter(Boolean);
  for (const propertyId of new Set(order)) {
    for (const last of properties.get(propertyId)?.last_approved ?? []) {
      for (const photo of last.photos ?? []) ids.push(photo.id);
    }
  }
  return [...new Set(ids)];
}

export async function syncGuides({ tasks, properties }, budget = GUIDE_BUDGET_BYTES) {
  const wanted = wantedIds(tasks, properties);
  const held = await transact("guides", "readwrite", async (s) => {
    const rows = await request(s.guides.getAll());
    const keep = new Set(wanted);
    rows.filter((r) => !keep.has(r.id)).forEach((r) => s.guides.delete(r.id));
    return new Map(rows.filter((r) => keep.has(r.id)).map((r) => [r.id, r.size]));
  });
  let used = [...held.values()].reduce((a, b) => a + b, 0);
  for (const id of wanted) {
    if (held.has(id)) continue;
    if (used >= budget) break;
    const blob = await fetchBlob(`/photos/${id}/guide`); // never inside a transaction
    if (!blob || used + blob.size > budget) continue;
    used += blob.size;
    await transact("guides", "readwrite", (s) => request(s.guides.put({ id, blob, size: blob.size })));
  }
  return used;
}

export const guideBlob = async (id) => (await transact("guides", "readonly", (s) => request(s.guides.get(id))))?.blob ?? null;
