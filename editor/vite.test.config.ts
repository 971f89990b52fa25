import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import app from './vite.config';

/**
 * The editor as the browser tests build it: the app exactly as `npm run build:editor` builds it, plus the
 * two pages they drive on their own, which production does not ship: the Monaco demo (monaco-demo.html)
 * and the component gallery (components.html).
 */
export default mergeConfig(
  app,
  defineConfig({
    build: {
      rolldownOptions: {
        input: {
          monaco: fileURLToPath(new URL('./monaco-demo.html', import.meta.url)),
          components: fileURLToPath(new URL('./components.html', import.meta.url)),
        },
      },
    },
  }),
);
