// `npm run dev`: the page through Vite (HMR, modules, TypeScript), with the host beside it.
import { defineConfig } from 'vite';
import { hiseWebview } from 'hise-webview/vite';

export default defineConfig({
  root: 'webview',
  plugins: [hiseWebview({ module: '../host/host.ts' })], // relative to Vite's root
});
