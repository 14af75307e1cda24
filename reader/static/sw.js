/* Save for offline: the service worker, served from /sw.js (see reader/offline.py
   and docs/offline.md).

   It is installed only when a reader presses "Save for offline", and stores
   nothing of its own accord. On "save" it fetches /<lang>/offline.json and
   puts every URL listed there in the cache "reader-offline-<lang>". Then it
   answers only for what is saved: pages network first (so updates arrive),
   the saved copy when the network fails or is too slow; versioned static
   files from the cache. It never answers for anything else: no POST, no
   /translate/, no PDF, no ZIP, no other host. It sends nothing anywhere. */
"use strict";

const PREFIX = "reader-offline-";
// A dead connection must not leave the reader in front of a blank page.
const TIMEOUT_MS = 5000;
// Look for updates at most this often, when a saved page loads online.
const CHECK_MS = 10 * 60 * 1000;
const PARALLEL = 4;
const SCOPE = new URL(self.registration.scope).pathname;
const checked = new Map();

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports[0];
  if (data.type !== "save" || !port || !/^[A-Za-z0-9-]+$/.test(data.lang || "")) {
    return;
  }
  event.waitUntil(
    save(data.lang).then(
      (list) => port.postMessage({ ok: true, bytes: list.bytes }),
      (error) => port.postMessage({ ok: false, error: String(error) }),
    ),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (!handled(request, url)) {
    return; // the browser fetches it as if there were no service worker
  }
  // Should the cache fail (storage full, say), the site still answers.
  const work = answer(request, url).catch(() => ({ response: fetch(request), later: null }));
  event.respondWith(work.then((done) => done.response));
  // Refreshing the copy goes on after the reader was answered.
  event.waitUntil(work.then((done) => done.later, () => null));
});

/* Whether a request may be one of the saved URLs: a GET of this site, a page
   (a path ending in "/", no query) or a versioned static file. */
function handled(request, url) {
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return false;
  }
  const path = url.pathname;
  if (!path.startsWith(SCOPE) || path.startsWith(SCOPE + "translate/")) {
    return false;
  }
  if (path.startsWith(SCOPE + "static/")) {
    return url.search.startsWith("?v=");
  }
  return !url.search && path.endsWith("/") && !path.endsWith("/print/");
}

/* The language a page belongs to: the first part of its path. */
function languageOf(url) {
  return url.pathname.slice(SCOPE.length).split("/")[0];
}

function listUrl(lang) {
  return SCOPE + lang + "/offline.json";
}

/* Answer with { response, later }: later settles when the saved copy is
   refreshed. */
async function answer(request, url) {
  if (url.pathname.startsWith(SCOPE + "static/")) {
    // Versioned: a saved copy is the file itself, forever.
    const saved = await caches.match(request, { ignoreVary: true });
    return { response: saved || fetch(request), later: null };
  }
  const lang = languageOf(url);
  const name = PREFIX + lang;
  const cache = (await caches.has(name)) && (await caches.open(name));
  const saved = cache && (await cache.match(url.href, { ignoreVary: true }));
  if (!saved) {
    return { response: fetch(request), later: null };
  }
  const network = fetch(request);
  // Runs before the reader's copy of the response is read: clone() is safe.
  const later = network
    .then(async (response) => {
      if (response.ok && response.type === "basic" && !response.redirected) {
        await store(cache, url.pathname, response.clone(), new Date());
        await update(lang);
      }
    })
    .catch(() => null);
  try {
    const response = await withTimeout(network, TIMEOUT_MS);
    return { response: response.status >= 500 ? saved : response, later };
  } catch (error) {
    return { response: saved, later }; // offline, or too slow
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/* Keep a response; a page carries the time it was saved, for its note. */
async function store(cache, path, response, when) {
  const type = response.headers.get("Content-Type") || "";
  if (!type.startsWith("text/html")) {
    await cache.put(path, response);
    return;
  }
  const html = (await response.text()).replace(
    'data-saved-at=""',
    `data-saved-at="${when.toISOString()}"`,
  );
  const headers = new Headers(response.headers);
  // The body is decoded text now, whatever it was sent as.
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  await cache.put(path, new Response(html, { status: 200, headers }));
}

async function getList(lang) {
  const response = await fetch(listUrl(lang), { cache: "no-cache", credentials: "omit" });
  if (!response.ok) {
    throw new Error(`${listUrl(lang)} answered ${response.status}`);
  }
  return [await response.clone().json(), response];
}

/* Store every URL of a language's list; the list itself last, as the mark
   of a complete copy. A first save that fails leaves nothing behind. */
async function save(lang) {
  const name = PREFIX + lang;
  const had = await caches.has(name);
  try {
    return await sync(lang, await caches.open(name), true);
  } catch (error) {
    if (!had) {
      await caches.delete(name);
    }
    throw error;
  }
}

async function sync(lang, cache, all) {
  const [list, listResponse] = await getList(lang);
  const old = await cache.match(listUrl(lang));
  if (!all && old && (await old.json()).version === list.version) {
    return list;
  }
  const when = new Date();
  const queue = list.urls.slice();
  async function worker() {
    while (queue.length) {
      const path = queue.shift();
      // A versioned file never changes: keep the one already saved.
      if (path.includes("?v=") && (await cache.match(path))) {
        continue;
      }
      const response = await fetch(path, {
        cache: path.includes("?v=") ? "default" : "no-cache",
        credentials: "omit",
      });
      if (!response.ok) {
        throw new Error(`${path} answered ${response.status}`);
      }
      await store(cache, path, response, when);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const keep = new Set(list.urls.map((path) => new URL(path, self.location.href).href));
  keep.add(new URL(listUrl(lang), self.location.href).href);
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) {
      await cache.delete(request);
    }
  }
  await cache.put(listUrl(lang), listResponse);
  return list;
}

/* After a saved page loaded from the network, fetch what changed since. */
async function update(lang) {
  const last = checked.get(lang) || 0;
  if (Date.now() - last < CHECK_MS || !(await caches.has(PREFIX + lang))) {
    return;
  }
  checked.set(lang, Date.now());
  try {
    await sync(lang, await caches.open(PREFIX + lang), false);
  } catch (error) {
    checked.delete(lang); // try again on the next page
  }
}
