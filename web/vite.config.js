// The dashboard is served by `clusterscope serve` from files compiled into the binary, under a
// Content-Security-Policy of `default-src 'self'`: so no inline script or style, no data: URLs
// (images and fonts would be refused), and no request to another origin.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: process.env.CS_WEB_OUT || 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev`: the API of a `clusterscope serve` on 8080 behind Vite's dev server.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
