import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebView } from '../../src/host/index.js';
import { mkfifoSync } from '../hardening/fifo.js';
import { hubProof, loadSecret, memberProof, sameProof, SECRET_FILE } from '../../src/host/shared-port/secret.js';

// The per-user secret instances prove to each other: private to its user, or refused.

const base = mkdtempSync(join(tmpdir(), 'hise-secret-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(base, `d${++n}`);

describe('shared-port secret', () => {
  it('is created once (0700 directory, 0600 file) and read back the same by later instances', () => {
    const dir = fresh();
    const first = loadSecret(dir);
    expect(first.byteLength).toBe(32);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadSecret(dir).equals(first)).toBe(true);
  });

  it('a file or directory others can read, or a symbolic link, is refused with SHARED_SECRET_UNSAFE', () => {
    const open = fresh();
    loadSecret(open);
    chmodSync(join(open, SECRET_FILE), 0o644);
    expect(() => loadSecret(open)).toThrow(expect.objectContaining({ code: 'SHARED_SECRET_UNSAFE' }));
    const wide = fresh();
    mkdirSync(wide, { mode: 0o755 });
    chmodSync(wide, 0o755);
    expect(() => loadSecret(wide)).toThrow(expect.objectContaining({ code: 'SHARED_SECRET_UNSAFE' }));
    const linked = fresh();
    mkdirSync(linked, { mode: 0o700 });
    writeFileSync(join(base, 'elsewhere'), 'x'.repeat(64), { mode: 0o600 });
    symlinkSync(join(base, 'elsewhere'), join(linked, SECRET_FILE));
    expect(() => loadSecret(linked)).toThrow(expect.objectContaining({ code: 'SHARED_SECRET_UNSAFE' }));
  });

  it('setEnableWebSocket rejects with SHARED_SECRET_UNSAFE and frees what it bound', async () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    const wv = new WebView({ shared: true, sharedDirectory: dir });
    await expect(wv.setEnableWebSocket(0)).rejects.toMatchObject({ code: 'SHARED_SECRET_UNSAFE' });
    await wv.close();
  });

  it('proofs differ by role, port, nonce and every field of the hello, and compare in constant time', () => {
    const secret = Buffer.alloc(32, 7);
    const binding = { hubPort: 9000, hubNonce: 'a'.repeat(32), memberNonce: 'b'.repeat(32) };
    const hello = { id: '0123456789abcdef', port: 40000 };
    const hub = hubProof(secret, binding);
    expect(hub).toMatch(/^[0-9a-f]{64}$/);
    const member = memberProof(secret, binding, hello);
    expect(member).not.toBe(hub);
    // Each bound field changes both proofs (the hello's fields the member's).
    expect(hubProof(secret, { ...binding, hubPort: 9001 })).not.toBe(hub);
    expect(hubProof(secret, { ...binding, memberNonce: 'c'.repeat(32) })).not.toBe(hub);
    expect(hubProof(secret, { ...binding, hubNonce: 'c'.repeat(32) })).not.toBe(hub);
    expect(memberProof(secret, { ...binding, hubPort: 9001 }, hello)).not.toBe(member);
    expect(memberProof(secret, binding, { ...hello, port: 40001 })).not.toBe(member);
    expect(memberProof(secret, binding, { ...hello, id: 'fedcba9876543210' })).not.toBe(member);
    expect(memberProof(Buffer.alloc(32, 8), binding, hello)).not.toBe(member);
    expect(sameProof(hub, hub)).toBe(true);
    expect(sameProof(hub, hub.replace(/.$/, '0'))).toBe(hub.endsWith('0'));
    expect(sameProof(hub, 42)).toBe(false);
  });

  it('F3 a secret file that is a FIFO or a device, or over 4 KiB, is refused with SHARED_SECRET_UNSAFE, never read until it ends', () => {
    const fifo = fresh();
    mkdirSync(fifo, { mode: 0o700 });
    mkfifoSync(join(fifo, SECRET_FILE));
    chmodSync(join(fifo, SECRET_FILE), 0o600);
    expect(() => loadSecret(fifo)).toThrow(expect.objectContaining({ code: 'SHARED_SECRET_UNSAFE' }));
    const big = fresh();
    mkdirSync(big, { mode: 0o700 });
    writeFileSync(join(big, SECRET_FILE), Buffer.alloc(5000, 1), { mode: 0o600 });
    expect(() => loadSecret(big)).toThrow(expect.objectContaining({ code: 'SHARED_SECRET_UNSAFE' }));
  });
});
