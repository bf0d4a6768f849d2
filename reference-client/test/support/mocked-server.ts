import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { SyncClient } from '../../src/client.js';
import { createTestClient } from './test-clients.js';

export interface MockedServer {
  /** msw, intercepting the global fetch; unmatched requests fail the test. */
  readonly server: SetupServer;
  /** A test client that is closed after the test. */
  readonly client: (options?: Parameters<typeof createTestClient>[0]) => Promise<SyncClient>;
  /** Closes the clients of the test (before its fake servers go away). */
  readonly closeClients: () => Promise<void>;
}

/** Registers msw for the test file and closes each test's clients, then its handlers. */
export function useMockedServer(): MockedServer {
  const server = setupServer();
  const clients: SyncClient[] = [];
  const closeClients = async (): Promise<void> => {
    for (const client of clients.splice(0)) await client.close();
  };
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  afterEach(async () => {
    await closeClients();
    server.resetHandlers();
  });
  return {
    server,
    client: async (options = {}) => {
      const created = await createTestClient(options);
      clients.push(created);
      return created;
    },
    closeClients,
  };
}
