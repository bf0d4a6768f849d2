import { createClient } from '../../reference-client/src/client.js';
import { FakeIDBKeyRange, newIndexedDB } from '../../reference-client/test/support/fake-indexeddb.js';
import { PULL_PAGE_SIZE } from '../../spec/generated/constants.js';
import type { BenchConfig } from './bench-config.js';
import type { BenchTarget } from './bench-target.js';
import type { Figure } from './figure.js';
import { percentile } from './percentiles.js';
import { deviceOf, insertChanges, pull, push } from './sync-requests.js';

// Figure 2: the latency of full pull pages (PULL_PAGE_SIZE changes), read one after another by one
// device. Another user's changes are interleaved with the reader's in the log, as in a shared app,
// so that a page also costs the rows the visibility filter skips.

const APP_ID = 'bench-pull';
const SEED_PUSH = 1000;

async function seed(target: BenchTarget, userIds: readonly string[], perUser: number): Promise<void> {
  const devices = await Promise.all(userIds.map((userId) => deviceOf(target, userId)));
  const since = devices.map(() => '');
  for (let written = 0; written < perUser; written += SEED_PUSH) {
    for (const [index, device] of devices.entries()) {
      since[index] = (await push(target, APP_ID, device, insertChanges(device.userId, Math.min(SEED_PUSH, perUser - written)), since[index]!)).syncedUntil;
    }
  }
}

export async function runPull(target: BenchTarget, config: BenchConfig): Promise<Figure[]> {
  const reader = `puller-${crypto.randomUUID().slice(0, 8)}`;
  await seed(target, [reader, `other-${crypto.randomUUID().slice(0, 8)}`], config.pullChanges);
  const device = await deviceOf(target, reader);
  const latencies: number[] = [];
  for (let pass = 0; pass < config.pullPasses; pass++) {
    let since = '';
    for (;;) {
      const started = performance.now();
      const page = await pull(target, APP_ID, device, 'tasks', since);
      const elapsed = performance.now() - started;
      if (page.serverChanges.length === PULL_PAGE_SIZE) latencies.push(elapsed);
      since = page.syncedUntil;
      if (!page.hasMore) break;
    }
  }
  if (latencies.length === 0) throw new Error('no full page was read');

  // The same changes through the reference client: HTTP pages, schema checks, merge into Dexie.
  const client = await createClient({
    serverUrl: target.url,
    token: device.token,
    appId: APP_ID,
    userId: reader,
    tables: { tasks: {} },
    live: false,
    indexedDB: newIndexedDB(),
    IDBKeyRange: FakeIDBKeyRange,
  });
  const started = performance.now();
  await client.pull(['tasks']);
  const clientPullMs = performance.now() - started;
  const pulled = (await client.list('tasks')).length;
  await client.close();
  if (pulled !== config.pullChanges) throw new Error(`the client pulled ${pulled} records, not ${config.pullChanges}`);

  const note = `${latencies.length} pages of ${PULL_PAGE_SIZE}, half the app's rows another user's`;
  return [
    { name: 'pull_page_p50', value: percentile(latencies, 50), unit: 'ms', database: 'PostgreSQL', note },
    { name: 'pull_page_p95', value: percentile(latencies, 95), unit: 'ms', target: { kind: 'at-most', value: 20 }, database: 'PostgreSQL', note },
    { name: 'pull_page_p99', value: percentile(latencies, 99), unit: 'ms', database: 'PostgreSQL', note },
    { name: 'client_pull_into_dexie', value: clientPullMs, unit: 'ms', database: 'PostgreSQL', note: `reference client pull() of ${pulled} changes over HTTP into Dexie` },
  ];
}
