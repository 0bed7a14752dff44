import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Builds the web UI into web/dist; Sidekick serves it at `/`. `vite --config web/vite.config.ts` proxies the API to a local Sidekick. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Source maps stay out of the shipped bundle; the sources are in the repository.
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': { target: process.env.SIDEKICK_URL ?? 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
