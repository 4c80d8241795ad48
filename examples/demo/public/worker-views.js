// The same views drawn off the main thread: the worker client (`connectWorker`) keeps the socket and
// the streams in a Worker, where its reference components draw on canvases transferred to it. The
// page's own work (layout, the other canvases) can then never make these stutter.

/** Mounts the worker views on `canvases` (`scope`, `spectrum`, `meter`); undefined when the page is not the host's own (a worker must come from the page's origin). */
export async function createWorkerViews(port, canvases) {
  if (location.port !== String(port)) return undefined;
  const { connectWorker } = await import('/hise-webview-worker-client.js');
  const client = connectWorker({ port });
  client.subscribe('0'); // the left scope window is all these views draw
  client.mount(canvases.scope, 'oscilloscope', { id: '0' });
  client.mount(canvases.spectrum, 'spectrum', { id: '0', color: '#ffb74d' });
  client.mount(canvases.meter, 'meter', { id: '0', color: '#81c784' });
  return client;
}
