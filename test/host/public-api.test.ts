import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect, type HiseClient } from '../../src/client/index.js';
import { startHost } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';

// Public API that had no test of its own: WebView#rootDirectory, HiseClient#off,
// HiseClient#parameterIds, ClientParameter#onError. Real host on port 0, the modern client in Node.

const clients: HiseClient<any>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

function nodeClient(port: number): HiseClient<any> {
  const client = connect({ port, host: '127.0.0.1', WebSocket: WebSocket as never, minReconnectDelay: 20, maxReconnectDelay: 100 });
  clients.push(client);
  return client;
}

describe('public API', () => {
  it('WebView#rootDirectory is the folder setIndexFile serves (undefined before, the folder of an index file)', async () => {
    const { wv } = await startHost();
    expect(wv.rootDirectory).toBeUndefined();
    const root = mkdtempSync(join(tmpdir(), 'hwv-root-'));
    writeFileSync(join(root, 'index.html'), '<p>root');
    await wv.setIndexFile(root);
    expect(wv.rootDirectory).toBe(root);
    const other = mkdtempSync(join(tmpdir(), 'hwv-root-'));
    writeFileSync(join(other, 'page.html'), '<p>other');
    await wv.setIndexFile(join(other, 'page.html'));
    expect(wv.rootDirectory).toBe(other);
  });

  it('HiseClient#off removes exactly that listener of that id', async () => {
    const { wv, port } = await startHost();
    const client = nodeClient(port);
    const kept: unknown[] = [];
    const removed: unknown[] = [];
    const removedListener = (data: unknown): void => void removed.push(data);
    client.on('level', (data) => void kept.push(data));
    client.on('level', removedListener);
    await client.ready;
    await until(() => wv.pages.length === 1);
    wv.send('level', 1);
    await until(() => kept.length === 1);
    client.off('level', removedListener);
    wv.send('level', 2); // both listeners would get it, but one was removed
    await until(() => kept.length === 2);
    expect(kept).toEqual([1, 2]);
    expect(removed).toEqual([1]);
  });

  it("HiseClient#parameterIds lists the host's declared parameters once they arrive", async () => {
    const { wv, port } = await startHost();
    wv.parameter('gain', { min: -60, max: 12, default: 0 });
    wv.parameter('mode', { choices: ['a', 'b'], default: 'a' });
    const client = nodeClient(port);
    await client.ready;
    await until(() => client.parameterIds.length === 2, 5000, 'the parameters');
    expect([...client.parameterIds].sort()).toEqual(['gain', 'mode']);
    wv.parameter('bypass', { type: 'boolean', default: false });
    await until(() => client.parameterIds.includes('bypass'), 5000, 'the new parameter');
    expect([...client.parameterIds].sort()).toEqual(['bypass', 'gain', 'mode']);
  });

  it("ClientParameter#onError gets the host's refusal of that parameter's operation, and stops when removed", async () => {
    const { port } = await startHost();
    const client = nodeClient(port);
    await client.ready;
    const unknown = client.parameter('undeclared'); // the client has no spec: only the host can refuse it
    const errors: string[] = [];
    const remove = unknown.onError((error) => void errors.push(error.code));
    unknown.set(1);
    await until(() => errors.length === 1, 5000, 'the refusal');
    expect(errors).toEqual(['UNKNOWN_PARAMETER']);
    remove();
    // With no listener of its own left, the refusal goes to the client's (otherwise it is reported as unhandled).
    const unclaimed: string[] = [];
    client.onParameterError((error) => void unclaimed.push(`${error.code} ${error.parameter}`));
    unknown.set(2);
    await until(() => unclaimed.length === 1, 5000, 'the second refusal');
    expect(unclaimed).toEqual(['UNKNOWN_PARAMETER undeclared']);
    expect(errors).toEqual(['UNKNOWN_PARAMETER']);
  });
});
