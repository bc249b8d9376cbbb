// Japanese wording shared by the views: kinds of visit, options, dates, states.

export const KIND_LABELS = { survey: "空き家調査", watch: "みまもり訪問", disaster: "災害後の見回り", work: "オプション作業" };
export const PRIORITY_LABELS = { 1: "優先", 2: "至急" };
export const OPTION_LABELS = {
  airing: "通風・通水", mail_tidy: "投函物片付け", mail_forward: "投函物送付", disaster: "災害後見回り",
  mowing: "草刈", sign: "巡回看板の設置", cleaning: "簡単な清掃", clearing: "不用品整理",
};
export const STATE_LABELS = {
  draft: "記入中", waiting: "送信待ち", sending: "送信中", sent: "送信済み", attention: "要対応", replaced: "訂正済み",
};
const WEEKDAYS = "日月火水木金土";

const pad = (n) => String(n).padStart(2, "0");

// "YYYY-MM-DD" of the phone's local day.
export function localDay(date = new Date()) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// RFC 3339 with the phone's offset, e.g. 2026-11-27T10:15:00+09:00.
export function isoWithOffset(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 19);
  const sign = offset >= 0 ? "+" : "-";
  return `${local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

// "11月27日(金)" from "2026-11-27" (or an ISO date-time).
export function dayLabel(isoDate) {
  const [y, m, d] = isoDate.slice(0, 10).split("-").map(Number);
  const weekday = WEEKDAYS[new Date(y, m - 1, d).getDay()];
  return `${m}月${d}日(${weekday})`;
}

export function dateTimeLabel(iso) {
  const date = new Date(iso);
  return `${dayLabel(localDay(date))} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export const optionLabels = (options) => options.map((o) => OPTION_LABELS[o] ?? o).join("・");

export function bytesLabel(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

export function distanceLabel(metres) {
  return metres >= 1000 ? `${(metres / 1000).toFixed(1)} km` : `${Math.round(metres)} m`;
}

// A rubric's rank label without its authoring note 「例：」: 「加算なし（例：危険度0）」 -> 「加算なし（危険度0）」.
export const rankLabel = (text) => (text ?? "").replace(/例[：:]\s*/g, "");
