// First visit only: start installing the service worker while the page is still parsing (hooks.server.ts).
if ('serviceWorker' in navigator && !navigator.serviceWorker.controller) navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});
