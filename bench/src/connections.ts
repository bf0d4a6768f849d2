import { request } from 'undici';
import type { BenchConfig } from './bench-config.js';
import type { BenchTarget } from './bench-target.js';
import type { Figure } from './figure.js';
import { openAll, openWsSubscriber, type Subscriber } from './live-subscribers.js';
import { benchAgent, deviceOf } from './sync-requests.js';

// Figure 4: authenticated unified WebSockets held at once by the server child, and its resident
// memory per connection. Users have several devices each, as real accounts do. The server has no
// connection cap of its own; its open-file limit is raised to the hard limit at spawn.

const CONNECTIONS_PER_USER = 10;
const OPEN_PARALLEL = 200;
const SETTLE_MS = 2000;

async function serverConnectionCount(target: BenchTarget): Promise<number> {
  const response = await request(`${target.url}/health`, { dispatcher: benchAgent });
  const body = (await response.body.json()) as { ws?: number };
  return body.ws ?? 0;
}

export async function runConnections(target: BenchTarget, config: BenchConfig): Promise<Figure[]> {
  const run = crypto.randomUUID().slice(0, 8);
  const wanted = config.connections;
  const users = Math.ceil(wanted / CONNECTIONS_PER_USER);
  const tokens = await Promise.all(Array.from({ length: users }, (_, index) => deviceOf(target, `conn-${run}-${index}`)));
  const baseline = await serverConnectionCount(target);
  const rssBefore = await target.server.rssBytes();
  let closed = 0;
  const failures: string[] = [];
  const started = performance.now();
  const opened = await openAll(wanted, OPEN_PARALLEL, async (index): Promise<Subscriber | undefined> => {
    const user = tokens[index % users]!;
    try {
      return await openWsSubscriber(target.url, { ...user, clientId: crypto.randomUUID() }, () => undefined, () => closed++);
    } catch (error) {
      failures.push((error as Error).message);
      return undefined;
    }
  });
  const openSeconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const authenticated = opened.filter((subscriber) => subscriber !== undefined).length;
  const held = Math.min(authenticated - closed, (await serverConnectionCount(target)) - baseline);
  const rssAfter = await target.server.rssBytes();
  for (const subscriber of opened) subscriber?.close();
  const note = `${wanted} tried, ${users} users; ${failures.length} refused${failures[0] === undefined ? '' : ` (first: ${failures[0]})`}; ${closed} dropped`;
  return [
    { name: 'ws_connections_held', value: held, unit: 'connections', target: { kind: 'at-least', value: 10_000 }, database: 'PostgreSQL', note },
    { name: 'ws_memory_per_connection', value: held > 0 ? (rssAfter - rssBefore) / held / 1024 : Number.NaN, unit: 'KiB', database: 'PostgreSQL', note: 'server RSS growth / connections held' },
    { name: 'ws_connect_rate', value: authenticated / openSeconds, unit: 'auth/s', database: 'PostgreSQL', note: `connect + auth + auth-ok, ${OPEN_PARALLEL} in flight` },
  ];
}
