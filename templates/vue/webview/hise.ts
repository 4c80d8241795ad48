// The composables of hise-webview/vue, typed from the shared contract: ids, values and calls are checked.
import { createHooks } from 'hise-webview/vue';
import type { App } from '../shared/contract.js';

export const { useParameter, useStream, useCall, useConnection } = createHooks<App>();
