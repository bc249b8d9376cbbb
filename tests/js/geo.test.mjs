// What the form tells the carrier about a position fix (geo.js), and the distance the plan uses.
import assert from "node:assert/strict";
import { test } from "node:test";

import { POOR_ACCURACY_M, describeFix, distanceM } from "../../field_app/js/geo.js";

test("a fix within 100 m is recorded, a poorer one warns but still lets the carrier save", () => {
  assert.equal(POOR_ACCURACY_M, 100);
  assert.deepEqual(describeFix({ lat: 35, lon: 139, accuracy_m: 12.4 }, null), { level: "ok", text: "位置を記録しています（誤差 約12 m）" });
  assert.deepEqual(describeFix({ lat: 35, lon: 139, accuracy_m: 100 }, null).level, "ok");
  const poor = describeFix({ lat: 35, lon: 139, accuracy_m: 350 }, null);
  assert.equal(poor.level, "warn");
  assert.match(poor.text, /精度が低い.*350 m.*このまま保存もできます/);
});

test("no fix: denied or unavailable says the record saves without a position; otherwise it is still coming", () => {
  assert.equal(describeFix(null, "denied").level, "bad");
  assert.match(describeFix(null, "denied").text, /許可されていません.*位置なしで保存できます/);
  assert.match(describeFix(null, "unavailable").text, /取得できません.*位置なしで保存できます/);
  assert.deepEqual(describeFix(null, null), { level: "warn", text: "位置を取得しています…" });
});

test("distances are great-circle metres", () => {
  assert.equal(distanceM({ lat: 35, lon: 139 }, { lat: 35, lon: 139 }), 0);
  assert.equal(Math.round(distanceM({ lat: 35, lon: 139 }, { lat: 35.001, lon: 139 })), 111); // 0.001° of latitude
  assert.equal(Math.round(distanceM({ lat: 0, lon: 0 }, { lat: 0, lon: 1 }) / 1000), 111);
});
