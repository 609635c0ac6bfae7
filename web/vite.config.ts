import { defineConfig } from 'vite';

// The console is built from web/ into web/dist/, which the OmniLoop server serves at `/`.
// `npx vite` (dev) proxies the API to a local `omniloop serve` on OMNILOOP_API (default :8080).
const api = process.env.OMNILOOP_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // JSX through Oxc's automatic runtime: no React plugin (fast refresh is not needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // .vite/manifest.json: the chunk graph, for measuring what the first screen loads.
    manifest: true,
    target: 'es2022',
    // The first screen is budgeted at 400 kB of gzipped JavaScript; areas and heavy pages are split out.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Ant Design marks its modules "use client" for React Server Components; meaningless in a SPA.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/v1': { target: api, changeOrigin: false },
      '/openapi.json': api,
      '/health': api,
    },
  },
});
