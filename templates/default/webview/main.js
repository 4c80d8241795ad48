// @ts-check
// The page, as HISE's documentation writes one: HiseWebSocketServer for streams from the host, and
// bound callbacks (window.setGain) for calls to it. Checked against shared/contract.ts by `npm run typecheck`.

/** @typedef {import('../shared/contract.js').App} App */

/** @type {HiseWebSocketServer | undefined} */
var server;

// Called by the host (`wv.callFunction('initWebSocket', port)`) once the page has loaded.
window.initWebSocket = function (port) {
  showStatus(`connecting to the host on port ${port}…`);
  server = new HiseWebSocketServer(port);
  let connected = false;
  server.addEventListener(function (id, data) {
    // The first message proves the connection (HiseWebSocketServer has no "open" event of its own).
    if (!connected && id !== 'status') showStatus('connected: levels stream from the host');
    connected = true;
    if (id === 'level' && data instanceof Float32Array) drawLevels(data);
    else if (id === 'status' && typeof data === 'string') showStatus(data);
  });
};

window.addEventListener('DOMContentLoaded', function () {
  const slider = /** @type {HTMLInputElement} */ (document.getElementById('gain'));
  slider.addEventListener('input', async function () {
    /** @type {ReturnType<App['host']['setGain']>} */
    const set = await window.setGain(Number(slider.value));
    const output = document.getElementById('gain-value');
    if (output) output.textContent = `${set} dB`;
  });
});

/** @param {App['events']['level']} levels */
function drawLevels(levels) {
  const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById('meter'));
  const context = canvas.getContext('2d');
  if (!context) return;
  context.clearRect(0, 0, canvas.width, canvas.height);
  const width = canvas.width / levels.length;
  context.fillStyle = '#4fc38a';
  levels.forEach(function (level, i) {
    const height = Math.min(1, level) * canvas.height;
    context.fillRect(i * width + 1, canvas.height - height, width - 2, height);
  });
  document.body.dataset.levels = String(Number(document.body.dataset.levels ?? 0) + 1);
}

/** @param {App['events']['status']} text */
function showStatus(text) {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
}
