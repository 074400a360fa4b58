// Sổ tay service worker: keeps the app shell and the handbook pages a
// member opened, so that they stay readable without a network.
//
// - On install it caches the shell: the stylesheet, the script, the icons
//   and the offline page (the server writes their hashed URLs below).
// - Handbook pages (the home page, the library, documents, news) are
//   network first: a fresh copy is shown and kept; without a network the
//   kept copy is shown, else the offline page.
// - Hashed static files are cache first: their content never changes.
// - Signing out forgets the kept pages.
'use strict';

const VERSION = 'dev';
const SHELL = ['/ngoai-tuyen'];
const OFFLINE = '/ngoai-tuyen';
const SHELL_CACHE = 'sotay-shell-' + VERSION;
const PAGE_CACHE = 'sotay-pages';

// Pages kept for reading offline.
const KEEP = /^\/(so-tay|van-ban|van-ban\/\d+|tin-tuc|tin-tuc\/\d+)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((n) => n.startsWith('sotay-shell-') && n !== SHELL_CACHE)
      .map((n) => caches.delete(n)));
    await self.clients.claim();
    // Keep the handbook pages that were open before the worker took over.
    const open = await self.clients.matchAll({ type: 'window' });
    await Promise.all(open.map((c) => {
      const url = new URL(c.url);
      return url.origin === self.location.origin && KEEP.test(url.pathname) ? keep(new Request(url.href, { credentials: 'same-origin' })) : null;
    }));
  })());
});

// keep fetches a page and stores the answer when it is a page to keep.
async function keep(request) {
  try {
    const response = await fetch(request);
    await store(request, response.clone());
    return response;
  } catch (e) {
    return null;
  }
}

async function store(request, response) {
  if (response.ok && response.type === 'basic' && !response.redirected) {
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(request.url, response);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === 'POST' && url.pathname === '/dang-xuat') {
    event.respondWith(caches.delete(PAGE_CACHE).then(() => fetch(request)));
    return;
  }
  if (request.method !== 'GET') {
    return;
  }
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy)));
      }
      return response;
    })));
    return;
  }
  if (request.mode !== 'navigate') {
    return;
  }
  event.respondWith((async () => {
    try {
      const response = await fetch(request);
      if (KEEP.test(url.pathname)) {
        event.waitUntil(store(request, response.clone()));
      }
      return response;
    } catch (e) {
      const kept = await caches.match(request.url, { ignoreVary: true, ignoreSearch: false });
      return kept || (await caches.match(OFFLINE, { ignoreVary: true })) || Response.error();
    }
  })());
});
