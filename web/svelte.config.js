import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter(),
    // The service worker comes from @vite-pwa/sveltekit (Workbox), not src/service-worker.ts.
    serviceWorker: { register: false },
    // Absolute asset URLs: the prerendered /offline page is also served in place of pages at other depths.
    paths: { relative: false },
    // Content-Security-Policy (ADR-023): scripts only from this origin or hashed by SvelteKit (its
    // start-up script); never inline or eval'd ones. 'hash', not 'nonce': the same page is served
    // from the service worker's cache and prerendered (/offline), where a nonce could not change.
    // Styles may be inline (Svelte's transitions write them). frame-ancestors goes in the header only.
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'manifest-src': ['self'],
        'worker-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
