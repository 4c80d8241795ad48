// One measurement session: a host from a client adapter, N bench pages in one plain headless
// Chromium, torn down (Chromium killed, profile removed, host closed) whatever happens.
import { benchPageHtml } from './bench-server.mjs';
import { launchChromium } from './chromium.mjs';

/**
 * @param {object} o
 * @param {object} o.adapter   a client adapter (bench/clients/*.js)
 * @param {object} o.server    the bench server
 * @param {Function} o.scenario the page side of the scenario (stringified into the page)
 * @param {object} [o.params]  given to the page (`port` is added)
 * @param {number} [o.pages]   how many pages (tabs) to open
 * @param {object} [o.hostOptions]
 * @param {string[]} [o.chromiumFlags]
 * @param {(ctx) => Promise<T>} body  runs once every page has reported `ready`
 */
export async function withSession({ adapter, server, scenario, params = {}, pages = 1, hostOptions, chromiumFlags }, body) {
  server.reset();
  for (const [path, file] of Object.entries(adapter.files?.() ?? {})) server.file(path, file);
  const host = await adapter.createHost(hostOptions);
  const browsers = [];
  try {
    const urls = [];
    for (let i = 0; i < pages; i++) {
      urls.push(
        server.page(
          benchPageHtml({
            title: `${adapter.name} ${i}`,
            scripts: adapter.scripts({ port: host.port }),
            clientSetup: adapter.browser,
            scenario,
            params: { ...adapter.pageParams, ...params, port: host.port, pageIndex: i },
          }),
        ),
      );
    }
    // Headless Chromium opens one target per process, so each page gets its own browser.
    for (const url of urls) browsers.push(launchChromium([url], { extraFlags: chromiumFlags }));
    const exited = Promise.race(
      browsers.map((browser) =>
        browser.exited.then((code) => {
          throw new Error(`Chromium exited early (code ${code}): ${browser.stderrTail().slice(-600)}`);
        }),
      ),
    );
    exited.catch(() => {});
    const readies = [];
    for (let i = 0; i < pages; i++) readies.push(server.next('ready', 30_000));
    for (const r of readies) r.catch(() => {}); // rejected later by reset() when this session fails
    const ready = await Promise.race([Promise.all(readies), exited]);
    return await Promise.race([body({ host, browsers, ready }), exited]);
  } finally {
    await Promise.all(browsers.map((browser) => browser.close()));
    await host.close().catch(() => {});
  }
}
