import { describe, expect, it } from 'vitest';
import { WebView } from '../../src/host/index.js';
import { startHost } from '../helpers/host.js';

// The host option crossOriginIsolation (issue 26): COOP/COEP on every answer, so the pages it serves
// may use SharedArrayBuffer (the worker client's stream rings); off by default.

describe('crossOriginIsolation', () => {
  it('sends COOP same-origin and COEP require-corp with every answer when on, neither by default', async () => {
    const isolated = await startHost({ crossOriginIsolation: true });
    isolated.wv.setHtmlContent('<p>isolated</p>');
    const plain = await startHost();
    plain.wv.setHtmlContent('<p>plain</p>');
    for (const path of ['/', '/hise-webview-worker.js', '/missing']) {
      const on = await fetch(`http://127.0.0.1:${isolated.port}${path}`);
      expect([on.headers.get('cross-origin-opener-policy'), on.headers.get('cross-origin-embedder-policy')]).toEqual(['same-origin', 'require-corp']);
      const off = await fetch(`http://127.0.0.1:${plain.port}${path}`);
      expect([off.headers.get('cross-origin-opener-policy'), off.headers.get('cross-origin-embedder-policy')]).toEqual([null, null]);
    }
  });

  it('a value that is not a boolean is INVALID_OPTION', () => {
    expect(() => new WebView({ crossOriginIsolation: 'yes' as unknown as boolean })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: 'option crossOriginIsolation must be a boolean' }));
  });
});
