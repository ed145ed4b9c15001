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
  },
};

export default config;
