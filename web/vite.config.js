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
  // The dev server pre-bundles these once, up front: found later (geo.js imports the map series on
  // demand) they would be bundled again and ECharts would run as two copies.
  optimizeDeps: { include: ['echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers'] },
  server: {
    // `npm run dev`: the API of a `clusterscope serve` on 8080 (or CS_API) behind Vite's dev server.
    proxy: { '/api': process.env.CS_API || 'http://127.0.0.1:8080' },
  },
});
