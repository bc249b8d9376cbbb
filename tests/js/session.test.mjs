// The sign-in expiry warning (session.js): moved here from the browser tests.
import assert from "node:assert/strict";
import { test } from "node:test";

import { WARN_DAYS, expiryWarning, isUsable } from "../../field_app/js/session.js";

test("the phone warns three days before the sign-in expires", () => {
  const now = new Date("2026-11-28T09:00:00+09:00");
  assert.equal(WARN_DAYS, 3);
  assert.deepEqual(["2026-12-02T09:00:00+09:00", "2026-11-30T21:00:00+09:00", "2026-11-28T08:00:00+09:00"]
    .map((expires) => expiryWarning(expires, now)), [null, { level: "soon", days: 3 }, { level: "expired", days: 0 }]);
});

test("the warning counts started days and says nothing for an unreadable date", () => {
  const now = new Date("2026-11-28T09:00:00+09:00");
  assert.deepEqual(expiryWarning("2026-12-01T09:00:00+09:00", now), { level: "soon", days: 3 });
  assert.deepEqual(expiryWarning("2026-11-28T09:00:01+09:00", now), { level: "soon", days: 1 });
  assert.deepEqual(expiryWarning("2026-11-28T09:00:00+09:00", now), { level: "expired", days: 0 });
  assert.equal(expiryWarning("not a date", now), null);
});

test("a session is usable with a token that has not expired", () => {
  const later = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString();
  const past = new Date(Date.now() - 1000).toISOString();
  assert.equal(isUsable({ token: "t", expires_at: later }), true);
  assert.equal(isUsable({ token: null, expires_at: later }), false);
  assert.equal(isUsable({ token: "t", expires_at: past }), false);
  assert.equal(isUsable(null), false);
});
