import { describe, expect, it } from 'vitest';
import { REPO } from '../init/project.js';

// What each framework binding costs a page (issue 25): bundled and minified from the built dist/ as
// an app's bundler would, its framework left out, gzipped; each well under the client's own size.

interface BundleSize {
  entry: string;
  bytes: number;
  gzip: number;
}
const { bundleSizes } = (await import(new URL('../../scripts/bundle-sizes.mjs', import.meta.url).href)) as { bundleSizes(dir: string): Promise<BundleSize[]> };

describe('bundle sizes', () => {
  it('each binding (react, svelte, vue) is under a quarter of the client, gzipped', async () => {
    const sizes = await bundleSizes(REPO);
    const client = sizes.find((s) => s.entry === 'hise-webview/client')!;
    expect(client.gzip).toBeGreaterThan(5000);
    const bindings = sizes.filter((s) => s !== client);
    expect(bindings.map((s) => s.entry)).toEqual(['hise-webview/react', 'hise-webview/svelte', 'hise-webview/vue']);
    for (const binding of bindings) expect(binding.gzip, binding.entry).toBeLessThan(client.gzip / 4);
  });
});
