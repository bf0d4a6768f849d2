import type { BenchConfig } from './bench-config.js';
import type { BenchTarget } from './bench-target.js';
import type { Figure } from './figure.js';
import { openAll, openSseSubscriber, openWsSubscriber, type Subscriber } from './live-subscribers.js';
import { percentile } from './percentiles.js';
import { deviceOf, insertChanges, push, type Device } from './sync-requests.js';

// Figure 3: one push into a space shared by N users, each following it live (an SSE stream, or the
// unified WebSocket); the time from sending the push until each subscriber has its event. One
// warm-up round (memberships cached, code hot) is not counted.

const APP_ID = 'bench-fanout';
const ROUND_TIMEOUT_MS = 60_000;
const OPEN_PARALLEL = 100;

interface Round {
  readonly startedMs: number;
  readonly changeId: string;
  readonly latencies: number[];
  readonly seen: Set<number>;
  done: () => void;
}

interface RoundResults {
  /** Per subscriber and round: ms from sending the push to the event. */
  readonly latencies: number[];
  /** Per round: ms until the last subscriber had its event. */
  readonly allDelivered: number[];
}

/**
 * Runs warm-up plus `rounds` pushes against subscribers opened by `open`, which hand each event to
 * `deliver` with a test of whether it belongs to the round's change.
 */
async function rounds(
  target: BenchTarget,
  subscribers: number,
  roundCount: number,
  spaceId: string,
  pusher: Device,
  open: (index: number, deliver: (index: number, atMs: number, belongs: (changeId: string) => boolean) => void) => Promise<Subscriber>,
): Promise<RoundResults> {
  let current: Round | undefined;
  const deliver = (index: number, atMs: number, belongs: (changeId: string) => boolean) => {
    const round = current;
    if (round === undefined || round.seen.has(index) || !belongs(round.changeId)) return;
    round.seen.add(index);
    round.latencies.push(atMs - round.startedMs);
    if (round.seen.size === subscribers) round.done();
  };
  const opened = await openAll(subscribers, OPEN_PARALLEL, (index) => open(index, deliver));
  const results: RoundResults = { latencies: [], allDelivered: [] };
  let since = '';
  try {
    for (let index = 0; index <= roundCount; index++) {
      const changes = insertChanges(pusher.userId, 1, 'tasks', spaceId);
      const all = new Promise<void>((resolve) => {
        current = { startedMs: performance.now(), changeId: changes[0]!.id, latencies: [], seen: new Set(), done: resolve };
      });
      const round = current!;
      since = (await push(target, APP_ID, pusher, changes, since)).syncedUntil;
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise<void>((resolve) => (bound = setTimeout(resolve, ROUND_TIMEOUT_MS)))]);
      clearTimeout(bound);
      if (round.seen.size < subscribers) throw new Error(`round ${index}: ${subscribers - round.seen.size} of ${subscribers} subscribers had no event after ${ROUND_TIMEOUT_MS} ms`);
      if (index === 0) continue;
      results.latencies.push(...round.latencies);
      results.allDelivered.push(Math.max(...round.latencies));
    }
  } finally {
    current = undefined;
    for (const subscriber of opened) subscriber.close();
  }
  return results;
}

function figures(transport: 'sse' | 'ws', results: RoundResults, subscribers: number, roundCount: number): Figure[] {
  const note = `${subscribers} subscribers sharing a space, ${roundCount} pushes`;
  return [
    { name: `fanout_${transport}_p50`, value: percentile(results.latencies, 50), unit: 'ms', database: 'PostgreSQL', note },
    { name: `fanout_${transport}_p99`, value: percentile(results.latencies, 99), unit: 'ms', target: { kind: 'at-most', value: 10 }, database: 'PostgreSQL', note },
    { name: `fanout_${transport}_all_delivered`, value: percentile(results.allDelivered, 50), unit: 'ms', database: 'PostgreSQL', note: `median over pushes of the time until the last subscriber had it` },
  ];
}

export async function runFanOut(target: BenchTarget, config: BenchConfig): Promise<Figure[]> {
  const run = crypto.randomUUID().slice(0, 8);
  const spaceId = `org-fanout-${run}`;
  const users = Array.from({ length: config.fanOutSubscribers }, (_, index) => `fan-${run}-${index}`);
  const pusher = await deviceOf(target, `fan-${run}-pusher`);
  for (const userId of [...users, pusher.userId]) target.auth.grant(userId, spaceId);
  const devices = await Promise.all(users.map((userId) => deviceOf(target, userId)));

  const sse = await rounds(target, users.length, config.fanOutRounds, spaceId, pusher, (index, deliver) =>
    openSseSubscriber(target.url, APP_ID, 'tasks', devices[index]!, (atMs, event) => {
      if (event.type === 'changes') deliver(index, atMs, (changeId) => event.data.includes(changeId));
    }),
  );
  const ws = await rounds(target, users.length, config.fanOutRounds, spaceId, pusher, (index, deliver) =>
    // sync-available names no change: every one arriving during a round is that round's.
    openWsSubscriber(target.url, devices[index]!, (atMs, message) => {
      if (message.type === 'sync-available' && message.appId === APP_ID) deliver(index, atMs, () => true);
    }),
  );
  return [...figures('sse', sse, users.length, config.fanOutRounds), ...figures('ws', ws, users.length, config.fanOutRounds)];
}
