import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The editor app: `npm run build:editor` writes editor/dist, which the server serves as static files.
 * Relative URLs (`base: './'`) so the build works under any mount path.
 */
export default defineConfig({
  root,
  base: './',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Monaco alone is a few megabytes; the warning would fire on every build and say nothing new.
    chunkSizeWarningLimit: 6000,
    // The app only (index.html, served at / with an SPA fallback). The pages the browser tests drive on
    // their own (the Monaco demo, the component gallery) are built by vite.test.config.ts, never shipped.
    rolldownOptions: {
      input: { main: fileURLToPath(new URL('./index.html', import.meta.url)) },
    },
  },
  // Monaco's worker and ours are ES modules.
  worker: { format: 'es' },
  // variables/ and templates/ sit beside editor/.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
