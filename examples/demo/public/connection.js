// Finds the host, loads its drop-in client (HISE's `hisewebsocket-min.js` API) and connects.

/** The host's port: `?port=N` in the address (a page served elsewhere), else this page's own (the host serves it). */
export function hostPort() {
  const fromQuery = new URLSearchParams(location.search).get('port');
  const port = Number(fromQuery ?? location.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`no usable host port (got ${fromQuery ?? location.port})`);
  return port;
}

/**
 * Where the host's scripts are: this page's own origin when the host serves it (also on a phone on
 * the LAN, where `localhost` would be the phone), else `http://localhost:PORT`.
 */
export function hostOrigin(port) {
  return location.port === String(port) ? location.origin : `http://localhost:${port}`;
}

/** Time between attempts to load the client while the host is down. */
const RETRY_MS = 1000;

/**
 * Loads the classic script the host serves, exactly as a HISE page would include it; while the
 * host is down (restarting), keeps trying, so a page reloaded meanwhile still comes back.
 */
export async function loadClient(port, onWaiting) {
  for (;;) {
    try {
      return await loadScript(port);
    } catch (error) {
      onWaiting(error);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

function loadScript(port) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `${hostOrigin(port)}/hisewebsocket-min.js`;
    script.onload = () => resolve(window.HiseWebSocketServer);
    script.onerror = () => {
      script.remove();
      reject(new Error(`could not load ${script.src}: is the demo host running?`));
    };
    document.head.append(script);
  });
}

/** Keeps the header's connection lamp in step with the socket. */
export function showConnection(server, port, onChange) {
  const lamp = document.getElementById('connection');
  const set = (state, text) => {
    lamp.dataset.state = state;
    lamp.lastElementChild.textContent = text;
    onChange(state === 'open');
  };
  server.addEventListener('open', () => set('open', server.socket?.url.replace(/\/?\?.*$/, '') ?? `ws://localhost:${port}`));
  server.addEventListener('close', () => set('closed', 'reconnecting…'));
}
