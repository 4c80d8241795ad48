// The pages of the cross-engine suite. Each is served by its own host (its own origin, so the
// pages of one browser launch do not share a tab) and reports to the test's endpoint: `report(obj)`
// POSTs JSON as text/plain; errors and unhandled rejections are reported as `{ error }`.
// Plain ES2017 in the HISE pages (what HISE's own examples use), modules for the modern client.

function reporter(reportUrl: string): string {
  return `<script>
  window.report = function (result) {
    result.visibility = document.visibilityState;
    return fetch(${JSON.stringify(reportUrl)}, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(result) });
  };
  window.addEventListener('error', function (e) { report({ error: String(e.message) + ' at ' + e.filename + ':' + e.lineno }); });
  window.addEventListener('unhandledrejection', function (e) { var r = e.reason; report({ error: 'unhandled rejection: ' + (r && r.message ? r.message : String(r)) }); });
</script>`;
}

/** A page as HISE's documentation writes it: `new HiseWebSocketServer(port)`; `scriptSrc` is HISE's own client or the drop-in. */
export function hisePage(reportUrl: string, scriptSrc: string, port: number): string {
  return `<!doctype html><html><head><meta charset="utf-8">${reporter(reportUrl)}
<script src="${scriptSrc}"></script>
<script>
  var got = {};
  var server = new HiseWebSocketServer(${port});
  server.addEventListener(function (id, data) {
    got[id] = typeof data === 'string' ? data : data.constructor.name + ':' + Array.prototype.join.call(data, ',');
    if (got.greet !== undefined && got.floats !== undefined && !got.answered) {
      got.answered = true;
      server.send(JSON.stringify({ echo: { greet: got.greet, floats: got.floats } }));
      server.send(new Float32Array([0.25, -0.5]));
      report({ done: true, greet: got.greet, floats: got.floats, userAgent: navigator.userAgent });
    }
  });
</script></head><body>HISE page</body></html>`;
}

/** A page served by the host with its bridge: bound callbacks (`window.add`, `window.fails`) and a function the host calls. */
export function bridgePage(reportUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">${reporter(reportUrl)}
<script>
  window.triple = function (x) { report({ called: x }); return x * 3; };
  function whenBound(names) {
    return new Promise(function (resolve) {
      (function check() {
        if (names.every(function (n) { return typeof window[n] === 'function'; })) resolve();
        else setTimeout(check, 20);
      })();
    });
  }
  whenBound(['add', 'fails']).then(async function () {
    var sum = await window.add(2, 3);
    var failure = await window.fails('x').then(function () { return null; }, function (e) { return { message: e.message, code: e.code }; });
    report({ bound: true, sum: sum, failure: failure, userAgent: navigator.userAgent });
  });
</script></head><body>bridge page</body></html>`;
}

/** The modern client: calls both ways, a parameter gesture, fresh streams with acks and host time. */
export function modernPage(reportUrl: string, lastFrame: number): string {
  return `<!doctype html><html><head><meta charset="utf-8">${reporter(reportUrl)}
<script type="module">
  import { connect } from '/hise-webview-client.js';
  const client = connect();
  client.handle('flash', (color) => 'flashed ' + color);
  const frames = [];
  client.subscribe(['scope'], { maxRate: 1000 });
  client.on('scope', (samples, meta) => {
    frames.push({ first: samples[0], length: samples.length, samplePosition: meta.samplePosition, hasTime: typeof meta.time === 'number' });
    if (samples[0] === ${lastFrame}) {
      report({ streamed: true, frames, hostTime: typeof client.hostTime() });
    }
  });
  await client.ready;
  const twice = await client.call('twice', 21);
  const gain = client.parameter('gain');
  await gain.ready;
  const before = gain.value;
  gain.begin();
  gain.set(-6);
  gain.end();
  report({ ready: true, twice, before, after: gain.value, text: gain.text, mode: client.mode, userAgent: navigator.userAgent });
</script></head><body>modern page</body></html>`;
}
