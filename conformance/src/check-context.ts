import type { Health } from '../../spec/generated/types.js';
import type { AuthService } from './auth-service/auth-service.js';
import { describeExchange, sendRecorded, type Exchange } from './exchange.js';
import { fail, type Failure } from './failure.js';
import { responseFailures, type ExchangeKind } from './response-conformance.js';
import { hashString, seededRandom } from './seeded-random.js';
import type { TranscriptRecorder } from './transcript.js';
import { UserClient, type ClientEnvironment } from './user-client.js';

/** Everything a check may use; one context per check, so checks can run concurrently. */
export interface CheckContext {
  readonly baseUrl: string;
  /** A fresh app per check (PUSH-19): no check sees another's data. */
  readonly appId: string;
  /** Two co-members to be (grant them a space with `sharedSpace`) and charlie the outsider. */
  readonly alice: UserClient;
  readonly bob: UserClient;
  readonly charlie: UserClient;
  readonly auth: AuthService;
  readonly record: TranscriptRecorder;
  readonly seed: number;
  /** Deterministic from the run's seed and the check's id. */
  random: () => number;
  /** A new id, unique in this run: `<prefix>-<n>-<random>`. */
  uniqueId: (prefix: string) => string;
  /** A new organization space with these users as members at the auth service. */
  sharedSpace: (...members: UserClient[]) => string;
  /** An unauthenticated request (health, metrics, CORS, unknown routes). */
  request: (method: string, path: string, init?: { headers?: Record<string, string>; body?: string }, kind?: ExchangeKind) => Promise<Exchange>;
  health: () => Promise<Health>;
  pause: (ms: number) => Promise<void>;
}

export interface ContextOptions {
  baseUrl: string;
  auth: AuthService;
  recorder: TranscriptRecorder;
  seed: number;
  checkId: string;
  /** Makes user ids, app ids and space ids unique across runs against a persistent target. */
  runTag: string;
  checkIndex: number;
  requestTimeoutMs: number;
  observe: (failures: Failure[]) => void;
  signal: AbortSignal;
}

/** A wait that ends early, rejecting, when the check is aborted (its timeout); it leaves no listener behind. */
function pauseFor(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
}

export function createCheckContext(options: ContextOptions): CheckContext {
  const random = seededRandom(options.seed ^ hashString(options.checkId));
  const tag = `${options.runTag}-${options.checkIndex}`;
  const pause = pauseFor(options.signal);
  const env: ClientEnvironment = {
    baseUrl: options.baseUrl,
    appId: `cf-${tag}`,
    auth: options.auth,
    recorder: options.recorder,
    requestTimeoutMs: options.requestTimeoutMs,
    observe: options.observe,
    pause,
    signal: options.signal,
  };
  let counter = 0;
  const uniqueId = (prefix: string) => `${prefix}-${++counter}-${Math.floor(random() * 1e9).toString(36)}`;
  const user = (name: string) => new UserClient(name, `u-${name}-${tag}`, env);

  async function request(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}, kind: ExchangeKind = 'other'): Promise<Exchange> {
    const exchange = await sendRecorded(options.recorder, { method, url: `${options.baseUrl}${path}`, ...init }, options.requestTimeoutMs);
    options.observe(responseFailures(exchange, kind));
    return exchange;
  }

  return {
    baseUrl: options.baseUrl,
    appId: env.appId,
    alice: user('alice'),
    bob: user('bob'),
    charlie: user('charlie'),
    auth: options.auth,
    record: options.recorder,
    seed: options.seed,
    random,
    uniqueId,
    sharedSpace: (...members) => {
      const space = `org-${tag}-${uniqueId('space')}`;
      for (const member of members) options.auth.grant(member.userId, space);
      options.recorder.note(`auth service: ${members.map((m) => m.name).join(', ')} granted membership of ${space}`);
      return space;
    },
    request,
    health: async () => {
      const exchange = await request('GET', '/health', {}, 'health');
      if (exchange.status !== 200) fail('OPS-1', 'GET /health answered 200', describeExchange(exchange));
      return exchange.json as Health;
    },
    pause,
  };
}
