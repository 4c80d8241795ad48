import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiseWebview } from '../../dist/vite/index.js';

// The Vite plugin's `images` option: pages Vite serves find HISE's {PROJECT_FOLDER} references too.

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000010806000000f4227f8a0000000e49444154789c63f8cfc0f01f840111f703fde3c5f5ef0000000049454e44ae426082', 'hex');

let dir: string;
let server: ViteDevServer;
let viteUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-vite-images-'));
  await mkdir(join(dir, 'app', 'pages'), { recursive: true });
  await mkdir(join(dir, 'Images'));
  await writeFile(join(dir, 'app', 'index.html'), '<!doctype html><html><head></head><body><img src="{PROJECT_FOLDER}knob.png"></body></html>');
  await writeFile(join(dir, 'Images', 'knob.png'), PNG);
  await writeFile(join(dir, 'secret.txt'), 'outside the images folder');
  server = await createServer({
    root: join(dir, 'app'),
    configFile: false,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: true },
    plugins: [hiseWebview({ images: '../Images' })],
  });
  await server.listen();
  viteUrl = `http://127.0.0.1:${(server.httpServer!.address() as { port: number }).port}`;
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hiseWebview({ images })', () => {
  it('serves {PROJECT_FOLDER} references from the images folder, from sub-paths too, with MIME types', async () => {
    for (const path of ['/%7BPROJECT_FOLDER%7Dknob.png', '/pages/%7BPROJECT_FOLDER%7Dknob.png']) {
      const response = await fetch(viteUrl + path);
      expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 200, 'image/png']);
      expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
    }
  });

  it('stays inside the folder and leaves other requests to Vite', async () => {
    expect((await fetch(viteUrl + '/%7BPROJECT_FOLDER%7D..%2Fsecret.txt')).status).toBe(404);
    expect((await fetch(viteUrl + '/%7BPROJECT_FOLDER%7Dmissing.png')).status).toBe(404);
    const page = await fetch(viteUrl + '/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('{PROJECT_FOLDER}knob.png');
  });

  it('answers a Range outside the image with 416, as the host does, and serves one inside it', async () => {
    const outside = await fetch(viteUrl + '/%7BPROJECT_FOLDER%7Dknob.png', { headers: { Range: 'bytes=9-2' } });
    expect([outside.status, outside.headers.get('content-range')]).toEqual([416, `bytes */${PNG.byteLength}`]);
    const inside = await fetch(viteUrl + '/%7BPROJECT_FOLDER%7Dknob.png', { headers: { Range: 'bytes=0-7' } });
    expect(inside.status).toBe(206);
    expect(Buffer.from(await inside.arrayBuffer()).equals(PNG.subarray(0, 8))).toBe(true);
  });
});
