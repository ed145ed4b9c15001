import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';

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
        runtimeCaching: [
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
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
