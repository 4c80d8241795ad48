// Takes docs/inspector.png: a host with a page streaming and calling, and its inspector, in
// Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium). `npm run build` first.
import { chromium } from 'playwright-core';
import { WebView } from '../dist/host/index.js';
import { attachInspector } from '../dist/inspector/index.js';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium-flags.mjs';

const PAGE = `<!doctype html><html><head></head><body><script type="module">
import { connect } from '/hise-webview-client.js';
const client = connect();
client.handle('setTheme', (name) => 'theme ' + name);
await client.ready;
let t = 0;
setInterval(() => client.send('knob', { gain: Math.round(50 + 40 * Math.sin((t += 0.1))) / 100 }), 100);
setTimeout(() => window.gainChanged(0.7), 300);
</script></body></html>`;

const wv = new WebView();
wv.setHtmlContent(PAGE);
wv.retain('preset');
wv.retain('title');
wv.bindCallback('gainChanged', ([gain]) => ({ applied: gain }));
wv.handle('loadPreset', () => 'ok');
await wv.setEnableWebSocket(0);
const inspector = attachInspector(wv, { updateRate: 20 });
void wv.evaluate('theme', "document.documentElement.dataset.theme = 'dark'"); // stored: the page runs it when it loads
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] });
try {
  await (await browser.newContext()).newPage().then((page) => page.goto(wv.url));
  wv.send('title', 'Warm pad — hise-webview demo');
  let phase = 0;
  const timer = setInterval(() => {
    phase += 0.15;
    wv.send('scope', Float32Array.from({ length: 512 }, (_, i) => 0.8 * Math.sin(phase + i / 18) * Math.cos(i / 150)));
    wv.send('meter', Float32Array.from({ length: 2 }, () => Math.random()));
    if (Math.floor(phase) !== Math.floor(phase - 0.15)) wv.send('status', `playing, bar ${Math.floor(phase)}`);
  }, 16);
  wv.send('preset', { name: 'Warm pad', filter: { cutoff: 1200, resonance: 0.3 }, voices: 8 });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  // Opened late, the inspector shows what came before it (its history), then live traffic.
  const view = await (await browser.newContext({ viewport: { width: 1100, height: 1010 }, deviceScaleFactor: 1 })).newPage();
  await view.goto(inspector.url);
  await view.locator('#status.open').waitFor();
  await wv.call(wv.pages[0], 'setTheme', 'dark');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await view.locator('tr[data-retained="preset"] summary').first().click();
  await view.locator('#log-rows tr.rate-line[data-log-id="scope"] button.expand').click();
  await view.locator('#log-scroll').evaluate((log) => (log.scrollTop = 0)); // the history: what came before the inspector opened
  await new Promise((resolve) => setTimeout(resolve, 1200)); // a whole rate window after the click
  await view.screenshot({ path: new URL('../docs/inspector.png', import.meta.url).pathname });
  clearInterval(timer);
  console.log('wrote docs/inspector.png');
} finally {
  await browser.close();
  await wv.close();
}
