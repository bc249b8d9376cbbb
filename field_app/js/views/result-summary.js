// A scored result (rubric-engine `score`, or the server's) in words: rank, judgements, flags.

import { h } from "../dom.js";
import { rankLabel } from "../labels.js";

const LEVEL_LABELS = { notice: "要確認", action: "要対応", hazard: "危険・通報" };

export function resultParts(rubric, result) {
  const parts = [];
  if (result.rank) parts.push(h("span.tag.stop", `ランク ${result.rank}`), ` ${rankLabel(result.rank_label)}`);
  for (const judgement of rubric?.scoring.judgements ?? []) {
    const value = result.judgements?.[judgement.key];
    if (value !== undefined) parts.push(h("span.tag", `${judgement.label}: ${value}`));
  }
  for (const flag of result.flags ?? []) {
    const level = rubric?.scoring.flag_levels?.[flag.level] ?? LEVEL_LABELS[flag.level] ?? flag.level;
    parts.push(h(`span.tag.${flag.level === "notice" ? "warn" : "bad"}`, `${flag.label}（${level}）`));
  }
  if (!result.rank && !(result.flags ?? []).length) parts.push(h("span.tag.ok", "指摘事項なし"));
  return parts;
}

export function resultBox(rubric, result) {
  return h("div.tags", resultParts(rubric, result));
}
