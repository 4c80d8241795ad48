import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectImagePath } from '../../src/host/http/project-images.js';
import { startHost } from '../helpers/host.js';

// HISE's `{PROJECT_FOLDER}name.png` references (HISE resolves them through the project's images
// since September 2025), served from the folder `setProjectImagesFolder` names, with the root's rules.

const temp = mkdtempSync(join(tmpdir(), 'hise-webview-images-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// 1×1 PNG
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1d3f1b10000000049454e44ae426082', 'hex');

function project(): { root: string; images: string } {
  const base = mkdtempSync(join(temp, 'project-'));
  const root = join(base, 'Scripts');
  const images = join(base, 'Images');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(images, 'icons'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  writeFileSync(join(root, 'secret.txt'), 'root file');
  writeFileSync(join(base, 'outside.png'), PNG);
  writeFileSync(join(images, 'knob.png'), PNG);
  writeFileSync(join(images, 'photo.jpg'), 'jpeg bytes');
  writeFileSync(join(images, 'icons', 'gear.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(images, 'Läutstärke.webp'), 'webp bytes');
  writeFileSync(join(images, '.hidden.png'), PNG);
  symlinkSync(join(base, 'outside.png'), join(images, 'escape.png'));
  symlinkSync(join(images, 'knob.png'), join(images, 'alias.png'));
  symlinkSync(join(images, '.hidden.png'), join(images, 'to-hidden.png'));
  return { root, images };
}

/** A raw GET (or HEAD), the path sent exactly as given (fetch would encode `{` and resolve dot segments). */
function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string | undefined; cache: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, type: response.headers['content-type'], cache: response.headers['cache-control'], body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('projectImagePath', () => {
  it('finds the wildcard at the start of any segment, and nothing else', () => {
    expect(projectImagePath('/{PROJECT_FOLDER}knob.png')).toBe('knob.png');
    expect(projectImagePath('/sub/deeper/{PROJECT_FOLDER}icons/gear.svg')).toBe('icons/gear.svg');
    expect(projectImagePath('/x{PROJECT_FOLDER}knob.png')).toBeUndefined();
    expect(projectImagePath('/{project_folder}knob.png')).toBeUndefined();
    expect(projectImagePath('/knob.png')).toBeUndefined();
  });
});

describe('{PROJECT_FOLDER} references', () => {
  it('are served from the images folder, raw or percent-encoded, from sub-paths too, with MIME types', async () => {
    const { wv, port } = await startHost();
    const { root, images } = project();
    await wv.setIndexFile(root);
    await wv.setProjectImagesFolder(images);
    expect(wv.projectImagesFolder).toBe(images);
    for (const path of ['/{PROJECT_FOLDER}knob.png', '/%7BPROJECT_FOLDER%7Dknob.png', '/%7bPROJECT_FOLDER%7dknob.png', '/sub/%7BPROJECT_FOLDER%7Dknob.png', '/a/b/c/{PROJECT_FOLDER}knob.png', '/{PROJECT_FOLDER}alias.png']) {
      const response = await get(port, path);
      expect([path, response.status, response.type]).toEqual([path, 200, 'image/png']);
      expect(response.body.equals(PNG)).toBe(true);
      expect(response.cache).toBe('no-store'); // enableCache is false: an edited image shows on reload
    }
    expect((await get(port, '/%7BPROJECT_FOLDER%7Dphoto.jpg')).type).toBe('image/jpeg');
    expect((await get(port, '/%7BPROJECT_FOLDER%7Dicons/gear.svg')).type).toBe('image/svg+xml');
    expect((await get(port, `/%7BPROJECT_FOLDER%7D${encodeURIComponent('Läutstärke.webp')}`)).type).toBe('image/webp');
    const head = await get(port, '/%7BPROJECT_FOLDER%7Dknob.png', 'HEAD');
    expect([head.status, head.type, head.body.byteLength]).toEqual([200, 'image/png', 0]);
    // The root is unchanged.
    expect((await get(port, '/secret.txt')).status).toBe(200);
    wv.enableCache = true;
    expect((await get(port, '/%7BPROJECT_FOLDER%7Dknob.png')).cache).toBe('no-cache');
  });

  it('never leave the folder: dot segments, encoded separators, links out, dotfiles, missing files are 404', async () => {
    const { wv, port } = await startHost();
    const { root, images } = project();
    await wv.setIndexFile(root);
    await wv.setProjectImagesFolder(images);
    for (const path of [
      '/%7BPROJECT_FOLDER%7D../outside.png',
      '/%7BPROJECT_FOLDER%7D%2e%2e/outside.png',
      '/%7BPROJECT_FOLDER%7D%2e%2e%2foutside.png',
      '/%7BPROJECT_FOLDER%7Dicons/%2e%2e/%2e%2e/outside.png',
      '/%7BPROJECT_FOLDER%7D./knob.png',
      '/%7BPROJECT_FOLDER%7Dicons//gear.svg',
      '/%7BPROJECT_FOLDER%7D..%5Coutside.png',
      '/%7BPROJECT_FOLDER%7D%2Fetc%2Fpasswd',
      '/%7BPROJECT_FOLDER%7Descape.png', // a link to a file outside
      '/%7BPROJECT_FOLDER%7D.hidden.png',
      '/%7BPROJECT_FOLDER%7Dto-hidden.png', // a link to a dotfile inside
      '/%7BPROJECT_FOLDER%7Dmissing.png',
      '/%7BPROJECT_FOLDER%7Dicons', // a folder
      '/%7BPROJECT_FOLDER%7D',
      '/%7BPROJECT_FOLDER%7Dknob.png%00.txt',
      '/%7BPROJECT_FOLDER%7D%E0%A4%A', // bad percent-encoding
    ]) {
      expect([path, (await get(port, path)).status]).toEqual([path, 404]);
    }
  });

  it('without a folder, or after unsetting it, are not served; a missing folder is refused', async () => {
    const { wv, port } = await startHost();
    const { root, images } = project();
    await wv.setIndexFile(root);
    expect((await get(port, '/%7BPROJECT_FOLDER%7Dknob.png')).status).toBe(404);
    await wv.setProjectImagesFolder(images);
    expect((await get(port, '/%7BPROJECT_FOLDER%7Dknob.png')).status).toBe(200);
    await wv.setProjectImagesFolder(undefined);
    expect(wv.projectImagesFolder).toBeUndefined();
    expect((await get(port, '/%7BPROJECT_FOLDER%7Dknob.png')).status).toBe(404);
    await expect(wv.setProjectImagesFolder(join(temp, 'no-such-folder'))).rejects.toMatchObject({ code: 'ROOT_NOT_FOUND' });
    await expect(wv.setProjectImagesFolder(join(images, 'knob.png'))).rejects.toMatchObject({ code: 'ROOT_NOT_FOUND' });
  });
});
