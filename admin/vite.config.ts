import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const bff = 'http://127.0.0.1:8787';

// The bff serves the built app at /admin/, on the same origin as /admin-api,
// so the staff session cookie (jg_staff_session) travels without CORS.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', chunkSizeWarningLimit: 2500 },
  server: {
    proxy: {
      '/admin-api': { target: bff, changeOrigin: false },
      '/dev': { target: bff, changeOrigin: false },
      // Whether the development tools are on (the banner, layout/DevToolsBanner.tsx).
      '/api/v1/public': { target: bff, changeOrigin: false },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
