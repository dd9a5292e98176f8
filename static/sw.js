// kubesim's service worker: caches the site's versioned files at install, so that after
// the first visit the simulator works offline. The build writes BUILD (a hash of the files)
// and ASSETS; a new release has a new BUILD, installs beside the old one and deletes its cache
// on activation.
const BUILD = '__KUBESIM_BUILD__';
const ASSETS = __KUBESIM_ASSETS__;
const CACHE = `kubesim-${BUILD}`;

self.addEventListener('install', (event) => {
  // `reload` skips the HTTP cache, so a new release never caches an old page or file.
  const requests = ['./', ...ASSETS].map((url) => new Request(url, { cache: 'reload' }));
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(requests)).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('kubesim-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The page itself: fresh when online (it names the current release's files), cached when
    // not. Only the app's own page, answered directly and successfully, replaces the copy.
    const scope = new URL('./', self.registration.scope).pathname;
    const isApp = ['', 'index.html'].some((p) => new URL(request.url).pathname === scope + p);
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (isApp && response.ok && !response.redirected) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put('./', copy)));
          }
          return response;
        })
        .catch(() => caches.match('./')),
    );
    return;
  }
  // Versioned files never change under their name: the cache answers first.
  event.respondWith(caches.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request)));
});
