import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The operations console: static files served by the gateway under /console/. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
