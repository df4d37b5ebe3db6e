/**
 * @module vite.config
 * Builds the dashboard into `dist/`, which `netinsights serve` serves at `/`
 * (with index.html as the fallback for client-side routes). During
 * development `npm run dev -w @netinsights/web` proxies `/api` to a running
 * server (NETINSIGHTS_API, default http://127.0.0.1:8080).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under assets/ can be cached forever by the server.
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: { '/api': process.env.NETINSIGHTS_API ?? 'http://127.0.0.1:8080' },
  },
});
