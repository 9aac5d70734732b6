// The dashboard's build: `npm run compile` runs it (scripts/build-web.mjs); the output, dist/,
// is served by `confide start` with the network's /config.json.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  logLevel: 'warn',
});
