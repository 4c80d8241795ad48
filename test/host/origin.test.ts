import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from '../../src/host/index.js';
import { RecordingClient, until } from '../helpers/node-client.js';
import { refusalOf } from '../helpers/refusal.js';
import { RefusalCode } from '../../src/protocol/index.js';
import { nextEvent, startHost } from '../helpers/host.js';

describe('origin policy', () => {
  it.each([
    [undefined, true],
    ['null', false],
    ['http://localhost:5173', true],
    ['https://localhost', true],
    ['http://127.0.0.1:8080', true],
    ['http://[::1]:3000', true],
    ['http://app.localhost:5173', true], // the names the Host check accepts, so a page served there connects back
    ['http://127.0.0.2:8080', true],
    ['https://choc.localhost', true],
    ['choc://choc.choc', true],
    ['https://evil.example', false],
    ['http://localhost.evil.example', false],
    ['http://127.0.0.1.evil.example', false],
    ['http://192.168.1.10:8080', false],
    ['file://', false],
    ['ws://localhost', false],
    ['http://localhost:5173/path', false],
    ['not a url', false],
  ])('%s → %s', (origin, allowed) => {
    expect(isOriginAllowed(origin, [])).toBe(allowed);
  });

  it('accepts origins listed in allowedOrigins, null only when listed', () => {
    expect(isOriginAllowed('null', ['null'])).toBe(true);
    expect(isOriginAllowed('https://my.app', ['https://my.app'])).toBe(true);
    expect(isOriginAllowed('https://my.app.evil', ['https://my.app'])).toBe(false);
  });
});

describe('the upgrade checks Origin first', () => {
  it('refuses a foreign origin (closed with 4403 and why) and emits refused', async () => {
    const { wv, port } = await startHost();
    const refused = nextEvent(wv, 'refused');
    const client = new RecordingClient(`ws://127.0.0.1:${port}`, { origin: 'https://evil.example' });
    const refusal = await refusalOf(client.socket);
    expect(refusal).toMatchObject({ code: RefusalCode.Origin, messages: 0 });
    expect((refusal as { reason: string }).reason).toContain('--allow-origin https://evil.example');
    const [info] = await refused;
    expect(info).toMatchObject({ reason: 'origin', origin: 'https://evil.example' });
    expect(wv.pages).toHaveLength(0);
  });

  it('accepts an allowed origin', async () => {
    const { wv, port } = await startHost({ allowedOrigins: ['https://my.app'] });
    const client = new RecordingClient(`ws://127.0.0.1:${port}`, { origin: 'https://my.app' });
    await client.opened;
    await until(() => wv.pages.length === 1);
    expect(wv.pages[0]!.origin).toBe('https://my.app');
    await client.close();
  });
});
