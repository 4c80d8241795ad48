// `npm run dev`: the page through Vite with the host beside it; `npm run build`: the page into dist/.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { hiseWebview } from 'hise-webview/vite';

export default defineConfig({
  root: 'webview',
  base: './',
  build: { outDir: '../dist', emptyOutDir: true },
  plugins: [react(), hiseWebview({ module: '../host/host.ts' })], // relative to Vite's root
});
