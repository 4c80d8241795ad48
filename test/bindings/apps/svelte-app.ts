// The Svelte test app: every store of hise-webview/svelte (svelte/Controls.svelte), the client given by svelte/Root.svelte.
import { mount, unmount } from 'svelte';
import { connect } from 'hise-webview/client';
import { instrument } from './instrument.js';
import Root from './svelte/Root.svelte';

const client = connect();
const app = instrument(client, ['gain', 'mode', 'bypass']);
let component: ReturnType<typeof mount> | undefined;
app.mount = () => {
  component = mount(Root, { target: document.getElementById('root')!, props: { client } });
};
app.unmount = () => {
  if (component !== undefined) void unmount(component);
  component = undefined;
};
app.mount();
