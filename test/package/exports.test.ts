import { describe, expect, it } from 'vitest';

// Imports the built package through its own `exports` map, as a user's code would.
describe('the built package', () => {
  it('hise-webview exports the host', async () => {
    const host = await import('hise-webview');
    expect(typeof host.WebView).toBe('function');
    expect(new host.WebViewError('CLOSED', 'x')).toBeInstanceOf(Error);
    expect(host.DEFAULT_OPTIONS.maxPayload).toBe(16 * 1024 * 1024);
  });

  it('hise-webview/protocol and hise-webview/client load without side effects', async () => {
    const protocol = await import('hise-webview/protocol');
    expect(protocol.SUBPROTOCOL).toBe('hise-webview.1');
    // The wire format a user needs, not the host's and client's internals (issue 20).
    expect(Object.keys(protocol)).toEqual(expect.arrayContaining(['encodeString', 'decodeMessage', 'encodeFrame', 'decodeFrame', 'FrameType', 'ProtocolError', 'CodedError']));
    for (const internal of ['encodeHubData', 'HubOp', 'SequencedLog', 'isWindowName', 'encodeRecord', 'PendingCalls']) expect(protocol).not.toHaveProperty(internal);
    const client = await import('hise-webview/client');
    expect(Object.keys(client).sort()).toEqual([
      'ANNOUNCE_QUIET_MS',
      'CLIENT_DEFAULTS',
      'CallError',
      'ClientError',
      'ClientParameter',
      'HiseClient',
      'HiseWebSocketServer',
      'ParameterError',
      'ProtocolError',
      'WHEEL_GESTURE_MS',
      'WHEEL_STEPS',
      'attachDrag',
      'bindChoice',
      'bindRange',
      'bindSwitch',
      'bridgeConfig',
      'connect',
      'defaultText',
      'fromNormalized',
      'hostPort',
      'toNormalized',
    ]);
    expect((globalThis as { HiseWebSocketServer?: unknown }).HiseWebSocketServer).toBeUndefined();
  });

  it('hise-webview/testing exports the test host', async () => {
    const testing = await import('hise-webview/testing');
    expect(Object.keys(testing).sort()).toEqual([
      'DEFAULT_MAX_QUEUED',
      'DEFAULT_TEST_TIMEOUT_MS',
      'TestHostError',
      'accessibilityTree',
      'accessibilityViolations',
      'createTestHost',
      'expectAccessible',
      'expectAccessibleNode',
    ]);
    const host = await testing.createTestHost({ html: '<p>x</p>' });
    expect((await fetch(host.url)).status).toBe(200);
    await host.close();
  });

  it('hise-webview/vite exports the plugin', async () => {
    const vite = await import('hise-webview/vite');
    expect(typeof vite.hiseWebview).toBe('function');
  });

  it('hise-webview/react, /svelte and /vue import on a server and render there without a client, opening nothing', async () => {
    const HOOKS = ['createHooks', 'useCall', 'useClient', 'useConnection', 'useLatest', 'useMessage', 'useParameter', 'useStream'];
    const react = await import('hise-webview/react');
    expect(Object.keys(react).sort()).toEqual(['HiseProvider', ...HOOKS]);
    const svelte = await import('hise-webview/svelte');
    expect(Object.keys(svelte).sort()).toEqual([...HOOKS, 'setHiseClient'].sort());
    const vue = await import('hise-webview/vue');
    expect(Object.keys(vue).sort()).toEqual([...HOOKS, 'hisePlugin', 'provideHise'].sort());

    // Server rendering: no client (it is made in the browser), so no value yet and `connecting`.
    const { createElement } = await import('react');
    const { renderToString } = await import('react-dom/server');
    const Gain = () => {
      const gain = react.useParameter('gain');
      return createElement('p', null, `${gain.text}|${react.useConnection().status}|${String(react.useLatest('level'))}`);
    };
    expect(renderToString(createElement(react.HiseProvider, { client: undefined }, createElement(Gain)))).toBe('<p>|connecting|undefined</p>');
    const { createSSRApp, h } = await import('vue');
    const { renderToString: renderVue } = await import('vue/server-renderer');
    const app = createSSRApp({
      setup() {
        const gain = vue.useParameter('gain');
        const connection = vue.useConnection();
        return () => h('p', `${gain.text.value}|${connection.value.status}`);
      },
    }).use(vue.hisePlugin(undefined));
    expect(await renderVue(app)).toBe('<p>|connecting</p>');
    expect(react.createHooks().useCall).toBe(react.useCall); // typed, and the same function
  });

  it('hise-webview/client/worker and hise-webview/client/scopes: the worker client and the reference components, no side effects at import', async () => {
    const worker = await import('hise-webview/client/worker');
    expect(Object.keys(worker).sort()).toEqual(['StreamRing', 'WorkerClient', 'connectWorker', 'mountComponent']);
    const scopes = await import('hise-webview/client/scopes');
    expect(Object.keys(scopes).sort()).toEqual(['SpectrumAnalyser', 'mountComponent']);
    expect(() => worker.connectWorker()).toThrow(expect.objectContaining({ code: 'NOT_AVAILABLE' })); // Node has no Worker global of this kind
  });

  it('hise-webview/inspector exports attachInspector', async () => {
    const inspector = await import('hise-webview/inspector');
    expect(Object.keys(inspector).sort()).toEqual(['DEFAULT_INSPECTOR_OPTIONS', 'attachInspector']);
  });
});
