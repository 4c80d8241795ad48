// The LAN without a browser: options, what is off unless asked, approval, limits, private files,
// given certificates, the mDNS records, and `serve --lan` in a terminal. The "LAN" is 127.0.0.2.
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Service } from 'bonjour-service';
import { WebView, type PairingRequest } from '../../src/host/index.js';
import { serviceConfig } from '../../src/host/lan/mdns.js';
import { AttemptLimit } from '../../src/host/lan/rate-limit.js';
import { CODE_ALPHABET, CODE_LENGTH, PairingCodes } from '../../src/host/lan/pairing-codes.js';
import { lanOption } from '../../src/cli/lan-flags.js';
import { startCli } from '../cli/cli-process.js';
import { LAN_ADDRESS, lanDirectory, postCode, removeLanDirectories, requestFrom, startLanHost } from '../helpers/lan.js';

const hosts: WebView[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((wv) => wv.close()));
});
afterAll(removeLanDirectories);

async function host(...args: Parameters<typeof startLanHost>): ReturnType<typeof startLanHost> {
  const started = await startLanHost(...args);
  hosts.push(started.wv);
  return started;
}

/** Whether a TCP connection to `address:port` is accepted. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('off unless asked', () => {
  it('L14 without lan nothing listens beyond 127.0.0.1 and ::1; with it, the LAN address too', async () => {
    const plain = new WebView();
    hosts.push(plain);
    const port = await plain.setEnableWebSocket(0);
    expect(await accepts(LAN_ADDRESS, port)).toBe(false);
    expect(plain.lan).toBeUndefined();
    expect(plain.devices).toEqual([]);
    expect(plain.revoke('anything')).toBe(false);
    const notStarted = new WebView({ lan: { host: LAN_ADDRESS, mdns: false, ephemeral: true } });
    expect(() => notStarted.lan!.pair()).toThrow(expect.objectContaining({ code: 'NOT_ENABLED' }));
    expect(notStarted.lan!.url).toBeUndefined();
    const { wv } = await host();
    expect(await accepts(LAN_ADDRESS, wv.lan!.port!)).toBe(true);
    expect(wv.lan!.port).toBe(wv.port); // the same port number, on the LAN address
  });

  it('L15 lan options: unknown keys, wrong values and lan with shared are INVALID_OPTION', () => {
    expect(() => new WebView({ lan: { hots: '127.0.0.2' } as never })).toThrow(/unknown lan option hots \(did you mean host\?\)/);
    expect(() => new WebView({ lan: { role: 'admin' as never } })).toThrow(/role must be 'control' or 'view'/);
    expect(() => new WebView({ lan: { host: 'my-laptop.local' } })).toThrow(/host must be an IP address/);
    expect(() => new WebView({ lan: { host: '0.0.0.0' } })).toThrow(/not a wildcard/);
    expect(() => new WebView({ lan: { https: { cert: 'a.pem' } as never } })).toThrow(/https must be a boolean or \{ cert, key \}/);
    expect(() => new WebView({ lan: { codeLifetime: 0 } })).toThrow(/codeLifetime must be a whole number from 1/);
    expect(() => new WebView({ lan: true, shared: true })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/lan cannot be used with shared/) }));
    expect(new WebView({ lan: false }).options.lan).toBeUndefined();
  });
});

describe('pairing codes and attempts', () => {
  it('a code is 8 symbols of 32 (40 bits), made at random, taken once in either case', () => {
    const codes = new PairingCodes(1000);
    const made = new Set(Array.from({ length: 200 }, () => codes.create('view', 0).code));
    expect(made.size).toBe(200);
    for (const code of made) expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`));
    expect(CODE_ALPHABET.length ** CODE_LENGTH).toBe(2 ** 40);
    const one = codes.create('control', 0);
    expect(codes.take(one.code.toLowerCase(), 1)).toMatchObject({ role: 'control' });
    expect(codes.take(one.code, 2)).toBe('used');
    const old = codes.create('control', 0);
    expect(codes.take(old.code, 1000)).toBe('expired');
  });

  it('attempts are counted in a sliding minute, per address and in total', () => {
    const limit = new AttemptLimit(2, 3);
    expect([limit.admit('a', 0), limit.admit('a', 1), limit.admit('a', 2)]).toEqual([true, true, false]);
    expect([limit.admit('b', 3), limit.admit('c', 4)]).toEqual([true, false]);
    expect(limit.admit('a', 60_001)).toBe(true); // the first minute's attempts have passed
  });
});

describe('approval, limits, files', () => {
  it('L16 with approve, a device pairs only when the pairing listener approves; denied or unheard it is refused (LAN_NOT_APPROVED)', async () => {
    const { wv } = await host({ approve: true });
    const unheard = await postCode(wv, wv.lan!.pair().code);
    expect([unheard.status, JSON.parse(unheard.body).code]).toEqual([403, 'LAN_NOT_APPROVED']);
    const asked: PairingRequest[] = [];
    wv.on('pairing', (request) => {
      asked.push(request);
      if (asked.length === 1) request.deny();
      else request.approve();
    });
    const denied = await postCode(wv, wv.lan!.pair('view').code);
    expect([denied.status, JSON.parse(denied.body).code]).toEqual([403, 'LAN_NOT_APPROVED']);
    const approved = await postCode(wv, wv.lan!.pair('view').code);
    expect(approved.status).toBe(200);
    expect(asked.map((request) => [request.role, request.address])).toEqual([
      ['view', '127.0.0.3'],
      ['view', '127.0.0.3'],
    ]);
    expect(wv.devices).toMatchObject([{ role: 'view', address: '127.0.0.3' }]);
  });

  it('L17 pairing beyond maxDevices is refused (LAN_PAIRING_REFUSED)', async () => {
    const { wv } = await host({ maxDevices: 1 });
    expect((await postCode(wv, wv.lan!.pair().code)).status).toBe(200);
    const full = await postCode(wv, wv.lan!.pair().code);
    expect([full.status, JSON.parse(full.body).code]).toEqual([403, 'LAN_PAIRING_REFUSED']);
  });

  it('L18 a devices directory or file open to others, or a link, is refused (LAN_FILE_UNSAFE)', async () => {
    const open = await lanDirectory();
    await chmod(open, 0o755);
    expect(() => new WebView({ lan: { host: LAN_ADDRESS, directory: open } })).toThrow(expect.objectContaining({ code: 'LAN_FILE_UNSAFE', message: expect.stringMatching(/open to other users/) }));
    const linked = await lanDirectory();
    await writeFile(join(linked, 'elsewhere.json'), '{"devices":[]}', { mode: 0o600 });
    await symlink(join(linked, 'elsewhere.json'), join(linked, 'lan-devices.json'));
    expect(() => new WebView({ lan: { host: LAN_ADDRESS, directory: linked } })).toThrow(expect.objectContaining({ code: 'LAN_FILE_UNSAFE', message: expect.stringMatching(/symbolic link/) }));
  });

  it('L19 https with the given cert and key; an unreadable one fails the start (LAN_TLS_FAILED)', async () => {
    const made = await lanDirectory();
    const first = await host({ directory: made, https: true });
    const fingerprint = first.wv.lan!.fingerprint;
    await first.wv.close();
    const given = { cert: join(made, 'lan-cert.pem'), key: join(made, 'lan-key.pem') };
    const { wv } = await host({ https: given });
    expect(wv.lan!.fingerprint).toBe(fingerprint);
    const broken = new WebView({ lan: { host: LAN_ADDRESS, mdns: false, https: { cert: join(made, 'missing.pem'), key: given.key } } });
    hosts.push(broken);
    await expect(broken.setEnableWebSocket(0)).rejects.toMatchObject({ code: 'LAN_TLS_FAILED' });
  });
});

describe('what a pairing request may be', () => {
  it('L22 a pairing body over 512 bytes, not JSON, or cut off mid-way is refused or dropped; the host keeps pairing', async () => {
    const { wv } = await host();
    const origin = wv.lan!.url!.slice(0, -1);
    const pairUrl = `${origin}/__hise-webview/lan/pair`;
    const big = await requestFrom(pairUrl, { method: 'POST', headers: { origin }, body: JSON.stringify({ code: 'x'.repeat(10_000) }) });
    expect([big.status, JSON.parse(big.body).code]).toEqual([413, 'INVALID_REQUEST']);
    const garbage = await requestFrom(pairUrl, { method: 'POST', headers: { origin }, body: '{"code":' });
    expect(garbage.status).toBe(403);
    // A body announced as 100 bytes that stops after 10, then the connection goes.
    await new Promise<void>((resolve) => {
      const socket = connect({ host: LAN_ADDRESS, port: wv.lan!.port!, localAddress: '127.0.0.3' }, () => {
        socket.write(`POST /__hise-webview/lan/pair HTTP/1.1\r\nHost: ${LAN_ADDRESS}:${wv.lan!.port}\r\nOrigin: ${origin}\r\nContent-Length: 100\r\n\r\n{"code":"A`);
        setImmediate(() => socket.destroy());
      });
      socket.on('close', () => resolve());
    });
    expect((await postCode(wv, wv.lan!.pair().code, '127.0.0.4')).status).toBe(200);
  });
});

describe('discovery', () => {
  // The announcement itself goes to 224.0.0.251:5353 on every interface: a test must not send onto a
  // real network (and CI machines have only loopback, where multicast does not run). So the records
  // bonjour-service would announce are checked through the library instead.
  it('L20 the host would announce _hise-webview._tcp with its port and TXT, never a code or token', () => {
    const service = new Service(serviceConfig('hise-webview', 4180, true), () => undefined, () => undefined);
    const records = service.records();
    expect(records.find((record) => record.type === 'PTR' && record.name === '_services._dns-sd._udp.local')?.data).toBe('_hise-webview._tcp.local');
    expect(records.find((record) => record.type === 'SRV')).toMatchObject({ name: 'hise-webview._hise-webview._tcp.local', data: { port: 4180 } });
    const txt = records.find((record) => record.type === 'TXT')!.data as Buffer[];
    expect(txt.map(String).sort()).toEqual(['pair=/__hise-webview/lan/pair', 'path=/', 'scheme=https', 'v=1']);
  });
});

describe('serve --lan', () => {
  it('L21 prints the QR code of a pairing URL and warns about plain HTTP; LAN flags without --lan are refused', async () => {
    const root = await lanDirectory();
    await mkdir(join(root, 'site'));
    await writeFile(join(root, 'site', 'index.html'), '<!doctype html><title>site</title>');
    const cli = await startCli(['serve', join(root, 'site'), '--lan', '--lan-host', LAN_ADDRESS, '--lan-role', 'view', '--lan-ephemeral', '--no-mdns']);
    try {
      const url = await cli.waitForLine(/or open http:\/\/127\.0\.0\.2:\d+\/__hise-webview\/lan\/pair#code=/);
      expect(url).toMatch(/role=view$/);
      expect(cli.output.some((line) => /^█+$/.test(line))).toBe(true); // the QR code's top border
      await cli.waitForLine(/warning: plain HTTP on the LAN/);
      // The printed code pairs as view.
      const code = /code=([^&]+)/.exec(url)![1]!;
      const origin = /(http:\/\/[^/]+)/.exec(url)![1]!;
      const answer = await fetch(`${origin}/__hise-webview/lan/pair`, { method: 'POST', headers: { origin }, body: JSON.stringify({ code }) });
      expect(await answer.json()).toMatchObject({ role: 'view' });
      await cli.waitForLine(/LAN: paired .* as view/);
    } finally {
      await cli.stop();
    }
    // The flags, as serve reads them (a second process would only repeat the parsing).
    expect(() => lanOption({ https: true })).toThrow('--https needs --lan');
    expect(() => lanOption({ mdns: false })).toThrow('--no-mdns needs --lan');
    expect(() => lanOption({ lan: true, lanRole: 'admin' })).toThrow('--lan-role must be view or control');
    expect(() => lanOption({ lan: true, cert: 'c.pem' })).toThrow('--cert and --key go together');
    expect(lanOption({ lan: true, lanHost: ['127.0.0.2', '::1'], https: true, mdns: false })).toEqual({ host: ['127.0.0.2', '::1'], role: 'control', https: true, approve: false, ephemeral: false, mdns: false });
  }, 60_000);
});

it('the devices file holds no token, only its hash', async () => {
  const directory = await lanDirectory();
  const { wv } = await host({ directory });
  const answer = await postCode(wv, wv.lan!.pair().code);
  const token = String(answer.headers['set-cookie']).split(';')[0]!.split('=')[1]!;
  const file = await readFile(join(directory, 'lan-devices.json'), 'utf8');
  expect(file).not.toContain(token);
  expect(JSON.parse(file).devices).toMatchObject([{ tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
});
