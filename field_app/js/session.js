// Who is signed in on this phone. The token is kept in IndexedDB and trusted offline until it
// expires; the app warns WARN_DAYS before that, while there is still time to sign in again.

import { call, useCredentials } from "./api.js";
import { getMeta, setMeta } from "./db.js";

export const WARN_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

let current = null; // {token, expires_at, user}

export async function deviceId() {
  let id = await getMeta("device_id");
  if (!id) {
    id = `phone-${crypto.randomUUID()}`;
    await setMeta("device_id", id);
  }
  return id;
}

export async function loadSession() {
  current = (await getMeta("session")) ?? null;
  useCredentials(current?.token ?? null, await deviceId());
  return current;
}

export const session = () => current;

export async function signIn(login, password) {
  const { data } = await call("/auth/login", { method: "POST", json: { login, password } });
  const previous = await getMeta("session");
  current = data;
  await setMeta("session", data);
  if (previous?.user?.login !== data.user.login) await setMeta("cursor", null); // another person's tasks: pull all
  useCredentials(data.token, await deviceId());
  return data;
}

// The token stopped working (401): keep the user's name for the sign-in form, drop the token.
export async function markSignedOut() {
  if (!current) return;
  current = { ...current, token: null };
  await setMeta("session", current);
  useCredentials(null, await deviceId());
}

export async function signOut() {
  try { await call("/auth/logout", { method: "POST" }); } catch { /* offline: the token just expires */ }
  await markSignedOut();
}

// {level: "expired"|"soon", days} or null. `now` is a Date (tests pass their own).
export function expiryWarning(expiresAt, now = new Date()) {
  const left = Date.parse(expiresAt) - now.getTime();
  if (Number.isNaN(left)) return null;
  if (left <= 0) return { level: "expired", days: 0 };
  if (left <= WARN_DAYS * DAY_MS) return { level: "soon", days: Math.ceil(left / DAY_MS) };
  return null;
}

export function isUsable(s = current) {
  return Boolean(s?.token) && expiryWarning(s.expires_at)?.level !== "expired";
}
