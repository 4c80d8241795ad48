import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from 'hise-webview/client';
import { HiseProvider } from 'hise-webview/react';
import type { App as Contract } from '../shared/contract.js';
import { App } from './App';

// Served by the host (or by Vite with the plugin), the page knows its host: no port to give.
const client = connect<Contract>();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <HiseProvider client={client}>
      <App />
    </HiseProvider>
  </StrictMode>,
);
