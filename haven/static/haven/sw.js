// Haven's service worker: keeps the encounter form usable without a connection (docs/OFFLINE.md).
//
// Served by haven.offline.views.service_worker at /sw.js, which fills in SHELL below with the
// shell's addresses (hashed static names in production, so a release installs a new worker).
//
// - A page that cannot be reached while offline is answered with Haven's offline page (stored
//   with the shell) instead of the browser's error page.
// - The shell (the encounter form page and Haven's own CSS and JavaScript) is fetched from the
//   network first and kept in a cache as a fallback. Nothing else is cached: no API answer, no
//   participant page, no page with a query string.
// - A form POST to a shell page that cannot reach the server is kept in the same IndexedDB
//   queue that offline.js fills, and offline.js sends it later. This covers a connection that
//   drops while the browser still thinks it is online.
"use strict";

const SHELL = "__HAVEN_SHELL__";
const CACHE = "haven-shell-v1";
const NETWORK_TIMEOUT_MS = 6000;
// The stored form page is refreshed in the background at most this often.
const REFRESH_MS = 5 * 60 * 1000;
const STAMP = "x-haven-stored-at";
// Proxies answer these when Haven itself cannot be reached: keep the visit rather than lose it.
const UNREACHABLE = new Set([502, 503, 504]);

// The queue, shared with offline.js (same names there).
const DB_NAME = "haven-offline";
const DB_VERSION = 1;
const STORE = "encounters";
// Only what the encounter form holds is kept; anything else on the page (a participant code
// typed into a lookup box, the CSRF token) is dropped.
const FIELDS = new Set([
  "client_id", "participant", "site", "service_mode", "occurred_at", "services", "syringes_returned",
  "returns_estimated", "sharps_containers_returned", "secondary_people", "repeat",
]);
const FIELD_PREFIXES = ["item-", "kit-", "reversal-"];

const shellPaths = new Set(SHELL.pages.map((url) => new URL(url, self.location.origin).pathname));
// The last shell page is the offline page, shown for pages that cannot be reached.
const offlinePage = SHELL.pages.length > 1 ? new URL(SHELL.pages[SHELL.pages.length - 1], self.location.origin).pathname
  : null;
const assetPaths = new Set(SHELL.assets.map((url) => new URL(url, self.location.origin).pathname));
const staticPrefix = new URL(SHELL.static, self.location.origin).pathname;

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("haven-shell-") && name !== CACHE) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "GET" && shellPaths.has(url.pathname)) {
    // The page the person sees is never stored itself: it may show a participant (a query string
    // pre-fills a visit) or a one-off message. A plain copy is fetched for the cache instead.
    event.respondWith(networkFirst(request, url.pathname, false));
    event.waitUntil(refreshPage(url.pathname));
  } else if (request.method === "GET" && (assetPaths.has(url.pathname) || url.pathname.startsWith(staticPrefix))) {
    event.respondWith(networkFirst(request, url.pathname, true));
  } else if (request.method === "POST" && request.mode === "navigate" && shellPaths.has(url.pathname)) {
    event.respondWith(postOrKeep(request));
  } else if (request.method === "GET" && request.mode === "navigate" && offlinePage) {
    // Any other page (finding a participant, the menu's pages): from the network, and when there
    // is none, Haven's own offline page instead of the browser's error. Nothing of it is stored.
    event.respondWith(fetch(request).catch(async () => {
      const cache = await caches.open(CACHE);
      return (await cache.match(offlinePage)) || Response.error();
    }));
  }
});

async function precache() {
  const cache = await caches.open(CACHE);
  // One missing file must not stop the worker from installing; a page is stored on its next visit.
  await Promise.allSettled(SHELL.pages.map((url) => refreshPage(new URL(url, self.location.origin).pathname, true))
    .concat(SHELL.assets.map(async (url) => {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
      if (storable(response)) {
        await cache.put(new URL(url, self.location.origin).pathname, response);
      }
    })));
}

async function refreshPage(path, always) {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(path);
  if (!always && stored && Date.now() - Number(stored.headers.get(STAMP) || 0) < REFRESH_MS) {
    return;
  }
  try {
    const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
    if (storable(response)) {
      const headers = new Headers(response.headers);
      headers.set(STAMP, String(Date.now()));
      const body = await response.blob();
      await cache.put(path, new Response(body, { status: response.status, statusText: response.statusText, headers }));
    }
  } catch (error) {
    // Offline: keep the copy we have.
  }
}

function storable(response) {
  // A redirect (to the sign-in page, for instance) must never be stored under the form's address.
  return response.ok && !response.redirected && response.type === "basic";
}

async function networkFirst(request, key, store) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  const network = fetch(request).then(async (response) => {
    if (store && storable(response)) {
      await cache.put(key, response.clone());
    }
    return response;
  });
  if (!cached) {
    return network;
  }
  // A connection that hangs is as good as none: after a while, answer from the cache.
  const timeout = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_TIMEOUT_MS));
  return Promise.race([network.catch(() => cached), timeout]);
}

async function postOrKeep(request) {
  const copy = request.clone();
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    response = null;
  }
  if (response && !UNREACHABLE.has(response.status)) {
    return response;
  }
  try {
    await keep(await copy.formData());
  } catch (error) {
    return response || Response.error();
  }
  // Post/redirect/get: the form page comes back (from the cache when offline) and offline.js
  // shows that the visit is saved on this device.
  return Response.redirect(request.url, 303);
}

async function keep(formData) {
  const fields = [];
  for (const [name, value] of formData.entries()) {
    if (typeof value === "string" && (FIELDS.has(name) || FIELD_PREFIXES.some((p) => name.startsWith(p)))) {
      fields.push([name, value]);
    }
  }
  const formId = formData.get("client_id");
  // The form's own id: if the server did get this request, sending it again changes nothing.
  const entry = {
    client_id: typeof formId === "string" && formId ? formId : self.crypto.randomUUID(),
    queued_at: new Date().toISOString(),
    status: "waiting",
    attempts: 0,
    next_try: 0,
    fields: fields,
    announce: true,
  };
  const db = await openQueue();
  await new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, "readwrite");
    transaction.objectStore(STORE).put(entry);
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
  });
  db.close();
}

function openQueue() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, DB_VERSION);
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) {
        open.result.createObjectStore(STORE, { keyPath: "client_id" });
      }
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}
