import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectBridge } from '../../src/host/http/webview-root.js';
import { launchChromium } from '../helpers/chromium.js';
import { startHost } from '../helpers/host.js';

const TAG = '<script src="/hise-webview-bridge.js"></script>';

describe('injectBridge puts the bridge first in the real <head>', () => {
  it.each([
    { name: 'a plain head', html: '<!doctype html><html><head><title>t</title></head></html>', expected: `<!doctype html><html><head>${TAG}<title>t</title></head></html>` },
    { name: 'a comment mentioning <head> before it', html: '<!-- put scripts in <head> --><html><head><title>t</title>', expected: `<!-- put scripts in <head> --><html><head>${TAG}<title>t</title>` },
    { name: 'upper case and attributes', html: '<!DOCTYPE html>\r\n<HTML LANG="en">\r\n<HEAD data-x=">">\r\n<TITLE>t</TITLE>', expected: `<!DOCTYPE html>\r\n<HTML LANG="en">\r\n<HEAD data-x=">">${TAG}\r\n<TITLE>t</TITLE>` },
    { name: 'a byte order mark', html: '\uFEFF<!doctype html><head><title>t</title>', expected: `\uFEFF<!doctype html><head>${TAG}<title>t</title>` },
    { name: 'no head: after <html>', html: '<!doctype html><html lang="en"><title>t</title>', expected: `<!doctype html><html lang="en">${TAG}<title>t</title>` },
    { name: 'no head, no html: after the doctype', html: '<!doctype html>\n<title>t</title>', expected: `<!doctype html>${TAG}\n<title>t</title>` },
    { name: 'a fragment: first', html: '<p>hello</p>', expected: `${TAG}<p>hello</p>` },
    { name: 'an empty page', html: '', expected: TAG },
    {
      name: '<head> inside a script that opens the implied head',
      html: '<script>const s = "<head>";</script><head><title>t</title>',
      expected: `${TAG}<script>const s = "<head>";</script><head><title>t</title>`,
    },
    {
      name: '<head> in an attribute of <html>',
      html: '<html data-note="<head>"><head><title>t</title>',
      expected: `<html data-note="<head>"><head>${TAG}<title>t</title>`,
    },
    { name: 'a late <head> after body content (ignored by browsers)', html: '<p>x</p><head><title>t</title>', expected: `${TAG}<p>x</p><head><title>t</title>` },
  ])('$name', ({ html, expected }) => {
    expect(injectBridge(html, TAG)).toBe(expected);
  });
});

describe('pages the host serves, in Chromium', () => {
  let dir: string;
  let browser: Browser;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hise-served-page-'));
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html>\n<!-- the bridge goes into <head> -->\n<HTML><HEAD><TITLE>served</TITLE></HEAD><BODY><p>hi</p></BODY></HTML>\n',
    );
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a comment mentioning <head> does not receive the bridge; the page loads without console errors', async () => {
    const { wv, port } = await startHost();
    await wv.setIndexFile(dir);
    const served = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(served).toContain(`<!-- the bridge goes into <head> -->\n<HTML><HEAD>${TAG}<TITLE>`);

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    const connected = new Promise((resolve) => wv.once('connect', resolve));
    await page.goto(`http://127.0.0.1:${port}/`);
    await connected;
    expect(await page.evaluate(() => document.head.firstElementChild?.getAttribute('src'))).toBe('/hise-webview-bridge.js');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('/favicon.ico: 204 when the root has none, the root\'s own file when it has one', async () => {
    const { wv, port } = await startHost();
    await wv.setIndexFile(dir);
    const none = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
    expect(none.status).toBe(204);
    await writeFile(join(dir, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
    const own = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
    expect(own.status).toBe(200);
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(new Uint8Array([0, 0, 1, 0]));
  });
});
