// Prerendered so the service worker can precache it and answer with it when a
// page that was never saved is opened offline.
export const prerender = true;
