import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

// reference-client/src/live/ws-live.ts takes its default WebSocket from undici because Node 20 has
// no global one; undici is a Node library (node:net, node:tls) that cannot run in a page. In the
// bundle that import gives the browser's own WebSocket, which has the same API.
const WS_LIVE = fileURLToPath(new URL('../../reference-client/src/live/ws-live.ts', import.meta.url));
const NAMESPACE = 'global-web-socket';

/** Resolves ws-live's `import { WebSocket } from 'undici'` to the page's global WebSocket. */
export function globalWebSocketPlugin(): Plugin {
  return {
    name: NAMESPACE,
    setup(build) {
      // Only ws-live's import: undici anywhere else in the client must fail the build, not slip in.
      build.onResolve({ filter: /^undici$/ }, (args) => (args.importer === WS_LIVE ? { path: 'undici', namespace: NAMESPACE } : undefined));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => ({ contents: 'export const WebSocket = globalThis.WebSocket;', loader: 'js' }));
    },
  };
}
