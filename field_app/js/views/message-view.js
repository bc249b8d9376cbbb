// A screen that only says why the asked-for one cannot open, with the way back.

import { h } from "../dom.js";

export function messageView({ title, text, link = "#/tasks", label = "作業一覧へ" }) {
  return h("section", h("h1", title), h("p", text), h("a.btn.wide", { href: link }, label));
}
