// Sign in once; the phone then works offline until the token expires.

import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { signIn } from "../session.js";

export function loginView({ lastLogin = "", reason = "", onSignedIn }) {
  const login = h("input", { id: "login", type: "text", autocomplete: "username", value: lastLogin, autocapitalize: "none" });
  const password = h("input", { id: "password", type: "password", autocomplete: "current-password" });
  const message = h("p.note-bad", { hidden: true, role: "alert" });
  const button = h("button.btn.primary.wide", { type: "submit" }, "ログイン");
  const form = h("form",
    h("h1", "ログイン"),
    reason ? h("p.note-warn", reason) : null,
    h("div.field", h("label", { htmlFor: "login" }, "ログインID"), login),
    h("div.field", h("label", { htmlFor: "password" }, "パスワード"), password),
    message, button,
    h("p.help", "一度ログインすると、電波がなくても期限まで使えます。送信待ちの記録はログインし直しても消えません。"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    message.hidden = true;
    try {
      await signIn(login.value.trim(), password.value);
      onSignedIn();
    } catch (error) {
      message.hidden = false;
      message.textContent = error instanceof ApiError ? error.message
        : "サーバーにつながりません。電波のある所でログインしてください。";
      button.disabled = false;
    }
  });
  return form;
}
