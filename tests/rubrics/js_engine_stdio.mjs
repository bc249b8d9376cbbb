// Reads one JSON request per line ({rubric, answers, options, previous_answers?}) and writes the
// JavaScript engine's answer per line, so Python tests can compare both engines on any input.
import { createInterface } from "node:readline";

import { compare, score } from "../../field_app/js/rubric-engine.js";

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  const answer = "previous_answers" in request
    ? compare(request.rubric, request.previous_answers, request.answers)
    : score(request.rubric, request.answers, request.options);
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
