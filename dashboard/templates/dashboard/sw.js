{% autoescape off %}// The dashboard's service worker: caches the offline page and the static files it needs; every other
// request goes to the network. A new CACHE name (SW_VERSION in dashboard/views.py) drops the old cache.
const CACHE = {{ cache }};
const OFFLINE = {{ offline }};
const PRECACHE = {{ precache }};
self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("fetch", (e) => {
  const req = e.request;
  if (req.method !== "GET") return;
  if (req.mode === "navigate") {
    e.respondWith(fetch(req).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (PRECACHE.includes(new URL(req.url).pathname)) {
    e.respondWith(fetch(req).catch(() => caches.match(req)));
  }
});
{% endautoescape %}
