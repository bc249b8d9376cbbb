// Service worker: the app shell from a versioned cache, so the app opens with no network.
// The API is never cached here (records live in IndexedDB) and, where the browser allows,
// bypasses this worker entirely. The server replaces __SHELL_VERSION__ with a hash of the
// precached files, so any change to the shell installs a new worker and a new cache.

const VERSION = "__SHELL_VERSION__";
const CACHE = `akiya-shell-${VERSION}`;
const PRECACHE = [
  "./",
  "app.bundle.js",
  "manifest.webmanifest",
  "css/app.css",
  "icons/icon-192.png",
  "icons/icon-512.png",
  "icons/icon-maskable-512.png",
];

// The script and the styles are fetched under v/<version>/ (index.html names them so): cached
// for a year by the browser, and never confused with another version's copy.
const versioned = (path) => (/^(css\/|app\.bundle\.js$)/.test(path) ? `v/${VERSION}/${path}` : path);

self.addEventListener("install", (event) => {
  const bypassApi = event.addRoutes && typeof URLPattern !== "undefined" // Chromium: API calls skip this worker
    ? event.addRoutes({ condition: { urlPattern: new URLPattern({ pathname: "/api/*" }) }, source: "network" }).catch(() => {})
    : null;
  event.waitUntil(Promise.all([bypassApi, caches.open(CACHE).then((cache) =>
    cache.addAll(PRECACHE.map((path) => new Request(versioned(path), { cache: "reload" }))))]));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("akiya-shell-") && name !== CACHE).map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

// The page asks for this only when no inspection is open (never interrupt a form).
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (event.request.mode === "navigate") return (await cache.match("./")) ?? fetch(event.request);
    return (await cache.match(event.request, { ignoreSearch: true })) ?? fetch(event.request);
  })());
});
