import { mount } from 'svelte';
import { connect } from 'hise-webview/client';
import type { App as Contract } from '../shared/contract.js';
import App from './App.svelte';

// Served by the host (or by Vite with the plugin), the page knows its host: no port to give.
const client = connect<Contract>();

mount(App, { target: document.getElementById('root')!, props: { client } });
