import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

// The console is built from web/ into web/dist/, which the OmniLoop server serves at `/`.
// `npx vite` (dev) proxies the API to a local `omniloop serve` on OMNILOOP_API (default :8080).
const api = process.env.OMNILOOP_API ?? 'http://127.0.0.1:8080';

/**
 * Every text file of the build is also written brotli- and gzip-compressed (`x.js.br`, `x.js.gz`), once, at the
 * highest levels: the server sends the smaller copy to a browser that accepts it (@fastify/static's
 * preCompressed) and spends no CPU compressing per request. The first customer page shrinks to about a third.
 */
function precompress(): Plugin {
  const dist = join(import.meta.dirname, 'dist');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return {
    name: 'omniloop-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of walk(dist)) {
        if (!/\.(js|css|html|svg|json)$/.test(file) || statSync(file).size < 1024) continue;
        const content = readFileSync(file);
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [precompress()],
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
