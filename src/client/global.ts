// Entry of dist/hisewebsocket-min.js: a classic script that defines the global, as HISE's file does.
import { HiseWebSocketServer } from './hise-websocket-server.js';

(globalThis as { HiseWebSocketServer?: unknown }).HiseWebSocketServer = HiseWebSocketServer;
