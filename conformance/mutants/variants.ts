import type { RequirementId } from '../../spec/src/requirement-index.js';
import type { SourceEdit } from './source-edit.js';

/**
 * A variant of the reference server with one seeded protocol bug, and the requirements a default run
 * of the suite must mark FAIL for it. The bug exists only as edits applied to a temporary copy of the
 * repository: the shipped server has no switch that turns it on.
 */
export interface Variant {
  /** Kebab-case; names the variant in the table, reports/mutants.json and reports/mutants/<name>/. */
  readonly name: string;
  /** The bug in one sentence, as a reviewer would describe it. */
  readonly bug: string;
  /** Every one of these must be FAIL in report.json. */
  readonly caughtUnder: readonly [RequirementId, ...RequirementId[]];
  readonly edits: readonly [SourceEdit, ...SourceEdit[]];
  /**
   * 'postgresql': the bug needs two transactions open at once, which PGlite never has, or it turns
   * PGlite's one connection into the bottleneck of the whole run; so the patched server runs on
   * PostgreSQL (--database-url, else DATABASE_URL) even when the others run in-process; without
   * either the variant is not run, and the run fails.
   */
  readonly database?: 'postgresql';
}

const FIELD_WRITES = 'reference-server/src/push/field-writes.ts';
const NEW_CHANGE = 'reference-server/src/push/new-change.ts';
const CHANGE_LOG = 'reference-server/src/store/change-log.ts';
const PUSH_SERVICE = 'reference-server/src/push/push-service.ts';
const CHANGESET_VALIDATION = 'reference-server/src/push/changeset-validation.ts';
const DELTA = 'reference-server/src/sync/delta.ts';
const READABLE_TABLES = 'reference-server/src/live/readable-tables.ts';
const SSE_STREAM = 'reference-server/src/live/sse-stream.ts';
const SSE_ROUTE = 'reference-server/src/live/sse-route.ts';
const WS_SESSION = 'reference-server/src/live/ws-session.ts';
const MEMBERSHIP_CACHE = 'reference-server/src/spaces/membership-cache.ts';
const JWT_VERIFIER = 'reference-server/src/auth/jwt-verifier.ts';

export const VARIANTS: readonly Variant[] = [
  {
    name: 'lww-counter-dropped',
    bug: 'the server stores every write with c = 0, so writes of one millisecond tie and are ordered by writer and value instead of the writer\'s clock',
    caughtUnder: ['LWW-8'],
    edits: [{ file: FIELD_WRITES, search: '    c: field?.c ?? change.c ?? 0,', replace: '    c: 0,' }],
  },
  {
    name: 'lww-restamped-on-arrival',
    bug: 'the server restamps every write with its own clock, so the write that arrives last wins instead of the one with the greatest stamp',
    caughtUnder: ['LWW-8'],
    edits: [
      {
        file: NEW_CHANGE,
        search: 'fields[write.name] = { value: write.value, at: formatCanonicalInstant(write.t ?? nowMs), c: write.c };',
        replace: 'fields[write.name] = { value: write.value, at: formatCanonicalInstant(nowMs), c: write.c };',
      },
    ],
  },
  {
    name: 'cursor-skips-same-position',
    bug: 'a cursor skips the rest of the transaction it points into (the cursor analogue of "created_at > since" skipping rows with an equal timestamp), so a page boundary inside a push loses its remaining changes',
    caughtUnder: ['PULL-5', 'PULL-3'],
    edits: [
      {
        file: CHANGE_LOG,
        search: '            AND (c.txid, c.seq) > ($3::xid8, $4::bigint)\n',
        replace: '            AND (c.txid, c.seq) > ($3::xid8, $4::bigint)\n            AND c.txid <> $3::xid8\n',
      },
    ],
  },
  {
    name: 'cursor-reads-past-horizon',
    bug: 'a read returns changes up to the snapshot\'s xmax instead of its xmin (Appendix C), so its cursor passes a transaction that commits later, whose changes are never delivered',
    caughtUnder: ['PULL-3'],
    database: 'postgresql',
    edits: [
      {
        file: CHANGE_LOG,
        search: 'WITH snapshot_horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)',
        replace: 'WITH snapshot_horizon AS (SELECT pg_snapshot_xmax(pg_current_snapshot()) AS xmin)',
      },
    ],
  },
  {
    name: 'push-not-atomic',
    bug: 'each change of a push is stored in its own transaction (the first server\'s behaviour), so a push refused at its last change keeps the earlier ones',
    caughtUnder: ['PUSH-6'],
    // A push of a thousand changes becomes a thousand transactions: on PGlite, which runs one at a
    // time, every other request of the run waits behind them, and the model-based searches end at
    // their time limit before they meet the bug (seen: PUSH-8's search made no run in 40 s).
    database: 'postgresql',
    edits: [
      {
        file: PUSH_SERVICE,
        search: 'export async function executePush(deps: PushServiceDeps, command: PushCommand): Promise<PushResponse> {\n',
        replace: `export async function executePush(deps: PushServiceDeps, command: PushCommand): Promise<PushResponse> {
  if (command.push.changes.length > 1) {
    let last: PushResponse | undefined;
    for (const [index, change] of command.push.changes.entries()) {
      const pushId = command.push.pushId === undefined ? undefined : \`\${command.push.pushId}/\${index}\`;
      last = await executePush(deps, { ...command, push: { ...command.push, changes: [change], writes: [command.push.writes[index]!], pushId } });
    }
    return { ...last!, accepted: command.push.changes.length };
  }
`,
      },
    ],
  },
  {
    name: 'push-id-ignored',
    bug: 'the server ignores pushId, so a push resent after a lost response is stored twice',
    caughtUnder: ['PUSH-8'],
    edits: [{ file: CHANGESET_VALIDATION, search: 'clientId, pushId: body.pushId, since,', replace: 'clientId, pushId: undefined, since,' }],
  },
  {
    name: 'echo-not-suppressed',
    bug: 'reads return the reading client\'s own changes',
    caughtUnder: ['PULL-12'],
    edits: [
      {
        file: DELTA,
        search: '    ...(request.clientId === undefined ? {} : { echo: { userId: scope.userId, clientId: request.clientId } }),\n',
        replace: '',
      },
    ],
  },
  {
    name: 'echo-keyed-by-client-id',
    bug: 'echo suppression compares the client id only, so a user whose device shares a client id with another user\'s never sees that user\'s changes',
    caughtUnder: ['PULL-12'],
    edits: [
      {
        file: CHANGE_LOG,
        search: 'AND ($6::text IS NULL OR NOT (c.user_id = $7 AND c.client_id = $6))',
        replace: 'AND ($6::text IS NULL OR NOT (c.client_id = $6 AND $7::text IS NOT NULL))',
      },
    ],
  },
  {
    name: 'space-write-by-non-member',
    bug: 'the server trusts the spaceId a push names as one of the author\'s spaces, so anyone can write into any shared space',
    caughtUnder: ['SPACE-4'],
    edits: [
      {
        file: PUSH_SERVICE,
        search: '    const spaceIds = await membershipsOrOutage(deps.memberships, command.userId, fresh);\n',
        replace: `    const known = await membershipsOrOutage(deps.memberships, command.userId, fresh);
    const named = command.push.changes.flatMap((change) => (change.spaceId === undefined || change.spaceId.startsWith('_personal:') ? [] : [change.spaceId]));
    const spaceIds = known === null ? null : [...known, ...named];
`,
      },
    ],
  },
  {
    name: 'ws-co-members-not-notified',
    bug: 'WebSocket notifications reach only the author and the owner of a personal space, not the co-members of a shared space',
    caughtUnder: ['WS-8'],
    edits: [
      {
        file: READABLE_TABLES,
        search: 'push.userId === userId || write.spaceId === personal || spaceIds.includes(write.spaceId)',
        replace: 'push.userId === userId || write.spaceId === personal',
      },
    ],
  },
  {
    name: 'ws-outsiders-notified',
    bug: 'WebSocket notifications go to every connection of the app, whether or not it may read the change',
    caughtUnder: ['WS-11'],
    edits: [
      {
        file: READABLE_TABLES,
        search: 'push.userId === userId || write.spaceId === personal || spaceIds.includes(write.spaceId)',
        replace: 'true',
      },
    ],
  },
  {
    name: 'sse-co-members-not-notified',
    bug: 'an SSE stream is woken only by its own user\'s pushes, so co-members\' changes wait for the next unrelated wake-up',
    caughtUnder: ['SSE-9'],
    edits: [
      {
        file: SSE_STREAM,
        search: 'if (push.appId === appId && push.writes.some((write) => watched.has(write.table))) this.wake();',
        replace: 'if (push.appId === appId && push.userId === userId && push.writes.some((write) => watched.has(write.table))) this.wake();',
      },
    ],
  },
  {
    name: 'revocation-ignored',
    bug: 'membership answers are cached forever, so a revoked member keeps reading the space',
    caughtUnder: ['SPACE-8'],
    edits: [
      {
        file: MEMBERSHIP_CACHE,
        search: 'if (cached !== undefined && this.#now() - cached.fetchedAtMs < this.#ttlMs) return cached.spaceIds;',
        replace: 'if (cached !== undefined) return cached.spaceIds;',
      },
      // The pruning of expired answers would otherwise end "forever" after one TTL.
      { file: MEMBERSHIP_CACHE, search: '    this.#forgetExpired();\n', replace: '' },
    ],
  },
  {
    name: 'ws-auth-deadline-not-enforced',
    bug: 'a WebSocket that never authenticates is never closed',
    caughtUnder: ['WS-3'],
    edits: [
      {
        file: WS_SESSION,
        search: "      if (this.#identity === undefined) this.closeWith('AUTH_TIMEOUT', 'the socket did not authenticate in time');\n",
        replace: '',
      },
    ],
  },
  {
    name: 'sse-resume-prefers-since',
    bug: 'a stream resumes from `since` when both `since` and Last-Event-ID are sent, skipping what lies between them',
    caughtUnder: ['SSE-5'],
    edits: [
      {
        file: SSE_ROUTE,
        search: "  if (lastEventId !== undefined && lastEventId !== '') {",
        replace: "  if (lastEventId !== undefined && lastEventId !== '' && query.since === undefined) {",
      },
    ],
  },
  {
    name: 'sse-event-id-one-behind',
    bug: 'the id of every changes event but a read\'s last points before the event\'s last change, so a stream resumed from it repeats that change',
    caughtUnder: ['SSE-4'],
    edits: [
      {
        file: DELTA,
        search: 'cursors: page.changes.map((stored) => encodeCursor(stored.position, spaces)),',
        replace: 'cursors: page.changes.map((_, index) => encodeCursor(index === 0 ? origin.after : page.changes[index - 1]!.position, spaces)),',
      },
    ],
  },
  {
    name: 'jwt-alg-none-accepted',
    bug: 'a token with alg "none" is accepted unsigned',
    caughtUnder: ['AUTH-2'],
    edits: [
      {
        file: JWT_VERIFIER,
        search: "import { decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';",
        replace: "import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';",
      },
      {
        file: JWT_VERIFIER,
        search: '      if (!validHeader(header)) throw',
        replace: `      if ((header as { alg?: unknown }).alg === 'none') {
        const claims = decodeJwt(token);
        return { userId: String(claims.sub), expiresAtMs: (claims.exp ?? 0) * 1000 };
      }
      if (!validHeader(header)) throw`,
      },
    ],
  },
];
