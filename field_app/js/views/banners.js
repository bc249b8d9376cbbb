// Messages at the top of every screen: sign-in expiring soon, offline ready, update ready.

import { h } from "../dom.js";
import { expiryWarning } from "../session.js";

export function banners({ session, offlineReady, updateReady, inForm, onSignIn, onUpdate, onDismiss }) {
  const list = [];
  const warning = session?.token ? expiryWarning(session.expires_at) : null;
  if (warning?.level === "soon") {
    list.push(h("div.banner.warn", h("p", `ログインの期限まであと${warning.days}日です。電波のある所でログインし直してください。`),
      h("button.btn", { type: "button", onclick: onSignIn }, "ログインし直す")));
  }
  if (offlineReady) {
    list.push(h("div.banner.ok", h("p", "この端末で、電波がなくても使えるようになりました。"),
      h("button.btn", { type: "button", onclick: onDismiss }, "閉じる")));
  }
  if (updateReady && !inForm) {
    list.push(h("div.banner.warn", h("p", "アプリの新しい版があります。"),
      h("button.btn", { type: "button", onclick: onUpdate }, "更新する")));
  }
  return list;
}
