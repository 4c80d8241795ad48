// The demo's host: a WebView streaming what the player plays, and taking the page's controls.
import { fileURLToPath } from 'node:url';
import { hostTime, WebView } from 'hise-webview';
import { Analysis } from './analysis.mjs';
import { Player } from './player.mjs';
import { Action, AUDIO_ID, BufferIndex, MAX_GAIN_DB, MUTE_DB, STATE_ID } from './public/streams.js';
import { createSignal, SIGNALS } from './signal.mjs';
import { Transport } from './transport.mjs';

/** The page: served by the host, on its own port. */
export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/** Frames per block: what a DAW would hand a plug-in at a typical buffer setting. */
export const BLOCK_FRAMES = 512;
/** Rate of the synthesized signals when no file sets one. */
export const DEFAULT_SAMPLE_RATE = 48_000;
/** How often the host reports its own health (CPU, pages, coalesced frames). */
const HEALTH_INTERVAL_MS = 1000;
export const FILE_SIGNAL = 'file';

/**
 * Starts the WebView on `port` and plays.
 * @param {{ port: number, file?: { name: string, sampleRate: number, left: Float32Array, right: Float32Array },
 *   signal?: string, paused?: boolean, lan?: import('hise-webview').LanOptions | boolean, log?: (line: string) => void }} options
 */
export async function startDemoHost({ port, file, signal, paused = false, lan, log = () => {} }) {
  const sampleRate = file?.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const signals = file ? [FILE_SIGNAL, ...SIGNALS] : [...SIGNALS];
  const sources = new Map(file ? [[FILE_SIGNAL, file]] : []);
  const sourceFor = (name) => {
    if (!sources.has(name)) sources.set(name, createSignal(name, sampleRate));
    return sources.get(name);
  };
  const initial = signal ?? signals[0];
  if (!signals.includes(initial)) throw new Error(`unknown signal '${initial}' (choose from ${signals.join(', ')})`);

  // `lan`: phones and tablets on the LAN too, each paired by a QR code (docs/LAN.md).
  const wv = new WebView(lan === undefined ? {} : { lan });
  const boundPort = await wv.setEnableWebSocket(port);
  // The host serves the page itself, on the same port as the socket.
  await wv.setIndexFile(PUBLIC_DIR);
  const player = new Player(sourceFor(initial));
  player.playing = !paused;
  const analysis = new Analysis(sampleRate, BLOCK_FRAMES);
  wv.addBufferToWebSocket(BufferIndex.SCOPE_LEFT, analysis.scopeLeft);
  wv.addBufferToWebSocket(BufferIndex.SCOPE_RIGHT, analysis.scopeRight);
  wv.addBufferToWebSocket(BufferIndex.SPECTRUM, analysis.spectrum);
  wv.addBufferToWebSocket(BufferIndex.METERS, analysis.meters);

  const listening = new Set(); // page ids that asked for raw audio
  const left = new Float32Array(BLOCK_FRAMES);
  const right = new Float32Array(BLOCK_FRAMES);
  const audio = new Float32Array(2 * BLOCK_FRAMES);

  const state = () => ({
    playing: player.playing,
    position: player.seconds,
    duration: player.length / sampleRate,
    gainDb: player.gainDb,
    signal: player.source === file ? FILE_SIGNAL : player.source.name,
    signals,
    fileName: file?.name ?? null,
    sampleRate,
    blockFrames: BLOCK_FRAMES,
    listeners: listening.size,
  });
  const broadcastState = () => wv.sendToWebSocket(STATE_ID, state());

  // Gain, signal and pause are parameters: the page's knob drags them with gestures (modern client),
  // the HISE-style controls below set them too, and every change reaches the player and every page.
  const parameters = {
    gain: wv.parameter('gain', { min: MUTE_DB, max: MAX_GAIN_DB, step: 0.5, default: 0, unit: 'dB', label: 'Gain', format: formatGainDb }),
    signal: wv.parameter('signal', { choices: signals, default: initial, label: 'Signal' }),
    paused: wv.parameter('paused', { type: 'boolean', default: paused, label: 'Pause' }),
  };
  parameters.gain.on('change', (db) => {
    player.setGainDb(db);
    broadcastState();
  });
  parameters.signal.on('change', (name) => {
    player.setSource(sourceFor(name));
    broadcastState();
  });
  parameters.paused.on('change', (isPaused) => {
    player.playing = !isPaused;
    broadcastState();
  });
  parameters.gain.on('gesture', (gesture) => {
    if (gesture.phase === 'end') log(`page ${gesture.page.id}: gain ${gesture.from} → ${gesture.to} dB (${gesture.reason})`);
  });

  const onBlock = () => {
    const start = player.render(left, right);
    analysis.addBlock(left, right);
    if (start < 0 || listening.size === 0) return;
    audio.set(left, 0);
    audio.set(right, BLOCK_FRAMES);
    // Where the block sits in the stream travels beside it (fresh streams), not packed into it.
    wv.send(AUDIO_ID, audio, { time: hostTime(), samplePosition: start });
  };
  const onFrame = () => {
    if (wv.pages.length === 0) return; // nobody watching: save the FFT
    analysis.frame(player.seconds);
    // METERS last: its sequence number tells the page a whole frame has arrived.
    wv.updateBuffer(BufferIndex.SCOPE_LEFT);
    wv.updateBuffer(BufferIndex.SCOPE_RIGHT);
    wv.updateBuffer(BufferIndex.SPECTRUM);
    wv.updateBuffer(BufferIndex.METERS);
  };
  const transport = new Transport({ sampleRate, blockFrames: BLOCK_FRAMES, onBlock, onFrame });

  const controls = {
    [Action.PLAY]: () => parameters.paused.set(false),
    [Action.PAUSE]: () => parameters.paused.set(true),
    [Action.SEEK]: (value) => player.seek(finite(value, 'seek')),
    [Action.GAIN]: (value) => parameters.gain.set(finite(value, 'gain')),
    [Action.SIGNAL]: (value) => {
      if (!signals.includes(value)) throw new Error(`unknown signal ${JSON.stringify(value)}`);
      parameters.signal.set(value);
    },
    [Action.LISTEN]: (value, page) => (value === true ? listening.add(page.id) : listening.delete(page.id)),
  };
  wv.setWebSocketCallback((message, page) => {
    const control = controls[message?.action];
    if (control === undefined) {
      log(`page ${page.id} sent something that is not a control: ${JSON.stringify(message).slice(0, 80)}`);
      return;
    }
    try {
      control(message.value, page);
    } catch (error) {
      log(`page ${page.id}: ${error.message}`);
      return;
    }
    broadcastState(); // every page, including the sender, agrees on the result
  });
  // A bound callback (HISE's `bindCallback`): pages with the bridge get `window.hostInfo()`.
  wv.bindCallback('hostInfo', () => ({ sampleRate, blockFrames: BLOCK_FRAMES, signals }));
  wv.on('connect', (page) => {
    log(`page ${page.id} connected (${wv.pages.length} open)`);
    broadcastState();
  });
  wv.on('disconnect', (page) => {
    log(`page ${page.id} left (${wv.pages.length} open)`);
    if (listening.delete(page.id)) broadcastState();
  });
  wv.on('error', (error, page) => log(`${error.code}${page ? ` (page ${page.id})` : ''}: ${error.message}`));

  let cpuBefore = process.cpuUsage();
  let timeBefore = performance.now();
  const health = setInterval(() => {
    const cpu = process.cpuUsage(cpuBefore);
    const now = performance.now();
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / (now - timeBefore)) * 100;
    cpuBefore = process.cpuUsage();
    timeBefore = now;
    if (wv.pages.length === 0) return;
    wv.sendToWebSocket('health', {
      cpuPercent: Math.round(cpuPercent * 10) / 10,
      blocksSkipped: transport.blocksSkipped,
      pages: wv.pages.map((p) => ({ id: p.id, ...p.stats, bufferedBytes: p.bufferedBytes })),
    });
  }, HEALTH_INTERVAL_MS);
  health.unref();

  transport.start();
  return {
    port: boundPort,
    url: wv.url,
    wv,
    player,
    parameters,
    state,
    async close() {
      transport.stop();
      clearInterval(health);
      await wv.close();
    },
  };
}

function formatGainDb(db) {
  return db <= MUTE_DB ? '−∞ dB' : `${db > 0 ? '+' : db < 0 ? '−' : ''}${Math.abs(db).toFixed(1)} dB`;
}

function finite(value, what) {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${what} needs a finite number, got ${JSON.stringify(value)}`);
  return value;
}
