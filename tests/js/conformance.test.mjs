// The JavaScript engine against rubrics/conformance/vectors.json (pytest runs the same file).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { checkPhotos, compare, isVisible, score, visibleItems } from "../../field_app/js/rubric-engine.js";

const vectors = JSON.parse(readFileSync(new URL("../../rubrics/conformance/vectors.json", import.meta.url), "utf8"));
const rubricOf = (ref) => vectors.rubrics.find((r) => r.id === ref.id && r.version === ref.version);

// Item and code always; the message too where the case pins it.
function asExpected(errors, expected) {
  return errors.map((error, i) => {
    const wanted = expected[i] ? Object.keys(expected[i]) : ["item", "code"];
    return Object.fromEntries(wanted.map((key) => [key, error[key]]));
  });
}

for (const c of vectors.cases) {
  test(c.name, () => {
    const rubric = rubricOf(c.rubric);
    assert.ok(rubric, `rubric ${c.rubric.id} v${c.rubric.version} is embedded`);
    if ("photos" in c) {
      const got = checkPhotos(rubric, c.photos, c.answers ?? {}, c.options ?? []);
      assert.deepEqual(asExpected(got, c.expect.errors), c.expect.errors);
    } else if ("previous_answers" in c) {
      assert.deepEqual(compare(rubric, c.previous_answers, c.answers), c.expect.changes);
    } else if ("result" in c.expect) {
      assert.deepEqual(score(rubric, c.answers, c.options), { ok: true, result: c.expect.result });
    } else {
      const outcome = score(rubric, c.answers, c.options);
      assert.equal(outcome.ok, false);
      assert.deepEqual(asExpected(outcome.errors, c.expect.errors), c.expect.errors);
    }
  });
}

test("visibleItems and isVisible follow show_if and requires_option", () => {
  const rubric = rubricOf({ id: "conformance_all_types", version: 1 });
  const keys = (answers, options) => visibleItems(rubric, answers, options).map((item) => item.key);
  assert.deepEqual(keys({}, []), ["condition", "defects", "signs", "gate_open", "has_fence", "school_route"]);
  assert.deepEqual(keys({ condition: "worn", has_fence: true, aired: true }, ["airing"]), [
    "condition", "condition_note", "defects", "signs", "gate_open", "has_fence", "fence_height", "school_route",
    "aired", "rooms",
  ]);
  const rooms = rubric.sections[1].items[1];
  assert.equal(isVisible(rubric, rooms, { aired: true }, ["airing"]), true);
  assert.equal(isVisible(rubric, "rooms", { aired: true }, []), false);
});

test("the engine module uses no Node-only API", () => {
  const source = readFileSync(new URL("../../field_app/js/rubric-engine.js", import.meta.url), "utf8");
  assert.doesNotMatch(source, /\b(require|process|Buffer|__dirname)\b|from "node:/);
  assert.doesNotMatch(source, /^import /m, "no dependencies");
});
