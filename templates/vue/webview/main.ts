import { createApp } from 'vue';
import { connect } from 'hise-webview/client';
import { hisePlugin } from 'hise-webview/vue';
import type { App as Contract } from '../shared/contract.js';
import App from './App.vue';

// Served by the host (or by Vite with the plugin), the page knows its host: no port to give.
const client = connect<Contract>();

createApp(App).use(hisePlugin(client)).mount('#root');
