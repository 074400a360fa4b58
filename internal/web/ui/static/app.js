// Registers the service worker that keeps opened documents for offline
// reading. Everything else works without this script.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('/sw.js').catch(function () {});
  });
}
