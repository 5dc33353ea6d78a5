import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The console is served by the Loa runtime at `/` and talks to the API under /v1 on the same origin. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Inline scripts would break the Content-Security-Policy (script-src 'self').
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:8080', '/openapi.json': 'http://127.0.0.1:8080' },
  },
});
