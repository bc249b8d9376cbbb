// Text as the server takes it (server/control_chars.py): no control characters (NUL, ESC ... —
// a paste from another app can carry them); tab, LF and CR only in text written in several lines.
// The server refuses a record holding one; the app strips them before the record is saved.

const SINGLE_LINE = /[\u0000-\u001f]/g;
const MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

export const plainText = (text, { multiLine = false } = {}) =>
  (typeof text === "string" ? text.replace(multiLine ? MULTI_LINE : SINGLE_LINE, "") : text);

// Every text of an answers object (text answers may run over several lines; choices are single words).
export const plainAnswers = (answers) => Object.fromEntries(Object.entries(answers).map(([key, value]) =>
  [key, Array.isArray(value) ? value.map((v) => plainText(v)) : plainText(value, { multiLine: true })]));
