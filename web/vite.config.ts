import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';

/**
 * What every page runs before its own code (issue 18, ADR-026): Svelte and SvelteKit, the root
 * layout's state, language and offline/outbox code, the service worker's registration. One chunk
 * instead of a dozen small ones: each file costs a request and its headers (about 0.3 KB), and one
 * file compresses better. Page code and components stay in chunks of their own.
 */
const SHELL =
  /[\\/](svelte[\\/]src|clsx|@sveltejs[\\/]kit[\\/]src|devalue|idb|workbox-window)[\\/]|[\\/]src[\\/]lib[\\/](offline[\\/](?!page-names)|app-state|prefs|i18n[\\/]index|form-errors|format\.ts|submit\.ts)|[\\/]bff[\\/]src[\\/]client\.ts|preload-helper|virtual:pwa-register/;

/**
 * The outbox page as the server renders it, precached by the service worker under its own key
 * (issue 18): offline, /outbox opens the outbox page itself even on a device that never opened
 * it. Online it is fetched as every page is (network first), so the key must differ from
 * /outbox, which the precache would otherwise answer first. New for each build: the page names
 * the build's chunks.
 */
const OUTBOX_PRECACHE_URL = '/outbox?precached';
const BUILD_REVISION = Date.now().toString(36);

export default defineConfig({
  plugins: [
    sveltekit(),
    SvelteKitPWA({
      registerType: 'autoUpdate',
      // Registered from +layout.svelte through virtual:pwa-register.
      injectRegister: false,
      manifest: {
        name: '交管在线服务',
        short_name: '交管',
        description: '机动车、驾驶证业务网上办理',
        lang: 'zh-CN',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#0b4ea2',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // adapter-node renders every page on request, so there is no app-shell
        // HTML to fall back to; pages come from the 'pages' cache instead.
        navigateFallback: null,
        cleanupOutdatedCaches: true,
        // Take over the first page at once, so what the user opens next (the
        // account page after signing in) already goes into the caches.
        clientsClaim: true,
        skipWaiting: true,
        additionalManifestEntries: [{ url: OUTBOX_PRECACHE_URL, revision: BUILD_REVISION }],
        runtimeCaching: [
          {
            // The outbox, like every page, from the network first, then as last saved on this
            // device, then as precached at install (never the /offline fallback).
            urlPattern: ({ request, url, sameOrigin }) => sameOrigin && request.mode === 'navigate' && url.pathname === '/outbox',
            handler: 'NetworkFirst',
            options: {
              cacheName: 'pages',
              networkTimeoutSeconds: 3,
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 50 },
              precacheFallback: { fallbackURL: OUTBOX_PRECACHE_URL },
            },
          },
          {
            urlPattern: ({ request, url, sameOrigin }) =>
              sameOrigin && request.mode === 'navigate' && !url.pathname.startsWith('/api/'),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'pages',
              networkTimeoutSeconds: 3,
              // A redirect (e.g. to /sign-in) must never replace a page saved for offline use.
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 50 },
              // A page never visited: the prerendered /offline page explains and offers what is saved.
              precacheFallback: { fallbackURL: '/offline' },
            },
          },
          {
            // Client-side navigation fetches __data.json?x-sveltekit-invalidated=…;
            // the query only says which loads to rerun, and every variant our
            // navigations produce carries the page data, so offline any variant will do.
            urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.endsWith('/__data.json'),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'pages',
              networkTimeoutSeconds: 3,
              matchOptions: { ignoreSearch: true },
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 50 },
            },
          },
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/api/'),
            method: 'GET',
            handler: 'NetworkFirst',
            options: {
              cacheName: 'api',
              networkTimeoutSeconds: 3,
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 50 },
              plugins: [
                {
                  // Lets the page tell a saved answer from a fresh one, so it can say how old it is.
                  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
                    if (!cachedResponse) return cachedResponse;
                    const headers = new Headers(cachedResponse.headers);
                    headers.set('x-served-from', 'device');
                    return new Response(cachedResponse.body, {
                      status: cachedResponse.status,
                      statusText: cachedResponse.statusText,
                      headers,
                    });
                  },
                },
              ],
            },
          },
        ],
      },
    }),
  ],
  environments: {
    client: {
      build: { rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'shell', test: SHELL }] } } } },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
