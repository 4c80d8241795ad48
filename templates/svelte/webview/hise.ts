// The stores of hise-webview/svelte, typed from the shared contract: ids, values and calls are checked.
import { createHooks } from 'hise-webview/svelte';
import type { App } from '../shared/contract.js';

export const { useParameter, useStream, useCall, useConnection } = createHooks<App>();
