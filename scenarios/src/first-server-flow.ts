import { isDeepStrictEqual } from 'node:util';
import type { Health, SchemaTypes } from '../../spec/generated/types.js';
import { describeSchemaErrors, validatorFor, type SchemaName } from '../../spec/src/schema-registry.js';
import { tokenOf, type Person } from './scenario-setting.js';
import { defineScenario, observed, show, type Observation } from './scenario.js';

// The first server's own end-to-end script (../shared/upstream-notes.md, spec appendix A), sent as
// that script sent it: plain HTTP, two client ids of one user, timestamps as `since`, `updatedAt`
// as the field stamp. A server that keeps old clients working passes it unchanged.
const EPOCH = '1970-01-01T00:00:00Z';
const CREATED = '2025-06-01T10:00:00Z';
const UPDATED = '2025-06-01T10:05:00Z';
const DELETED = '2025-06-01T10:10:00Z';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

async function send(url: string, init: { method?: string; token?: string; clientId?: string; body?: unknown } = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
      ...(init.clientId === undefined ? {} : { 'x-client-id': init.clientId }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // The first server answered errors in plain text; the step shows what came.
  }
  return { status: response.status, body };
}

/** The answer as the schema's type when it is a 200 matching `schema`, else the failed observation. */
function readAs<N extends SchemaName>(answer: Answer, schema: N): { value: SchemaTypes[N] } | { failed: Observation } {
  const validate = validatorFor(schema);
  if (answer.status !== 200) return { failed: observed(false, `${answer.status} ${show(answer.body)}`) };
  if (!validate(answer.body)) return { failed: observed(false, `200, but not a ${schema}: ${describeSchemaErrors(validate.errors).join('; ')}`) };
  return { value: answer.body };
}

export const firstServerFlow = defineScenario({
  name: 'first-server-flow',
  summary: 'the first mana-sync server\'s own end-to-end script over plain HTTP: health; client A inserts; client B pulls it and updates a field stamped with updatedAt; A pulls from its saved syncedUntil and sees the update; A deletes; a push without a token is 401',
  requirements: ['PUSH-1', 'PULL-8', 'LWW-10', 'AUTH-1'],
  needs: [],
  async run({ setting, step, note }) {
    const user: Person = setting.alice;
    const appId = setting.freshAppId('first-server-flow');
    const base = setting.serverUrl;
    const taskId = 'task-1';
    note(`app ${appId}; one user (${user.userId}, alice's token) on two clients, client-a and client-b, as the first server's script`);
    const as = async (clientId: string) => ({ token: await tokenOf(user), clientId });
    let savedSyncedUntil = '';
    let pulledByB = '';

    await step(
      {
        title: 'GET /health',
        expected: '200 {"status":"ok","service":"mana-sync",…}',
        requirements: ['OPS-1'],
        hint: 'the first server answered /health without authentication; load balancers and this script rely on it',
      },
      async () => {
        const answer = await send(`${base}/health`);
        const health = answer.body as Partial<Health>;
        return observed(answer.status === 200 && health.status === 'ok' && health.service === 'mana-sync', `${answer.status} ${show({ status: health.status, service: health.service })}`);
      },
    );

    await step(
      {
        title: `client A pushes an insert of ${taskId} into tasks, since the epoch`,
        expected: '200 with a syncedUntil, which A saves',
        requirements: ['PUSH-1', 'PULL-8'],
        hint: 'an old client sends an RFC 3339 timestamp as since (PULL-8) and a whole record in data; the insert carries createdAt and updatedAt (LWW-9)',
      },
      async () => {
        const answer = await send(`${base}/sync/${appId}`, {
          method: 'POST',
          ...(await as('client-a')),
          body: { clientId: 'client-a', since: EPOCH, changes: [{ table: 'tasks', id: taskId, op: 'insert', data: { id: taskId, title: 'Buy milk', completed: false, createdAt: CREATED, updatedAt: CREATED } }] },
        });
        const read = readAs(answer, 'push-response');
        if ('failed' in read) return read.failed;
        savedSyncedUntil = read.value.syncedUntil;
        return observed(true, `200, syncedUntil ${savedSyncedUntil}`);
      },
    );

    await step(
      {
        title: 'client B pulls tasks since the epoch',
        expected: `one insert of ${taskId} with title "Buy milk"`,
        requirements: ['PULL-1', 'PULL-8', 'PULL-12'],
        hint: 'echo suppression is per writer (PULL-12): client B of the same user receives client A\'s change',
      },
      async () => {
        const read = readAs(await send(`${base}/sync/${appId}/pull?collection=tasks&since=${encodeURIComponent(EPOCH)}`, await as('client-b')), 'pull-response');
        if ('failed' in read) return read.failed;
        const pulled = read.value;
        pulledByB = pulled.syncedUntil;
        const changes = pulled.serverChanges.map((change) => ({ id: change.id, op: change.op, title: change.data?.title }));
        return observed(isDeepStrictEqual(changes, [{ id: taskId, op: 'insert', title: 'Buy milk' }]), show(changes));
      },
    );

    await step(
      {
        title: `client B pushes an update of title, stamped {"updatedAt":"${UPDATED}"} as the first server's README and script do`,
        expected: '200',
        requirements: ['LWW-10', 'PUSH-1'],
        hint: 'updatedAt is an alias of at on input (LWW-10); the first server accepted the push but silently dropped the stamp',
      },
      async () => {
        const read = readAs(
          await send(`${base}/sync/${appId}`, {
            method: 'POST',
            ...(await as('client-b')),
            body: { clientId: 'client-b', since: pulledByB, changes: [{ table: 'tasks', id: taskId, op: 'update', fields: { title: { value: 'Buy oat milk', updatedAt: UPDATED } } }] },
          }),
          'push-response',
        );
        return 'failed' in read ? read.failed : observed(true, `200, accepted ${read.value.accepted}`);
      },
    );

    await step(
      {
        title: 'client A pulls tasks since its saved syncedUntil',
        expected: `exactly B's update: title "Buy oat milk" at ${UPDATED.replace('Z', '.000Z')}, written by client-b`,
        requirements: ['LWW-10', 'LWW-2', 'LWW-8', 'PULL-3'],
        hint: 'the stamp sent as updatedAt must be stored and relayed as at, in the canonical form (LWW-10, LWW-2); the first server stored an empty stamp instead',
      },
      async () => {
        const read = readAs(await send(`${base}/sync/${appId}/pull?collection=tasks&since=${encodeURIComponent(savedSyncedUntil)}`, await as('client-a')), 'pull-response');
        if ('failed' in read) return read.failed;
        const changes = read.value.serverChanges.map((change) => ({ op: change.op, clientId: change.clientId, title: change.fields.title && { value: change.fields.title.value, at: change.fields.title.at } }));
        return observed(isDeepStrictEqual(changes, [{ op: 'update', clientId: 'client-b', title: { value: 'Buy oat milk', at: UPDATED.replace('Z', '.000Z') } }]), show(changes));
      },
    );

    await step(
      {
        title: 'client A deletes the task; client B pulls the delete',
        expected: 'the push is 200; B pulls one delete',
        requirements: ['LWW-13', 'PULL-3'],
        hint: 'a delete carries deletedAt and is relayed like any change (LWW-13)',
      },
      async () => {
        const pushed = readAs(await send(`${base}/sync/${appId}`, { method: 'POST', ...(await as('client-a')), body: { clientId: 'client-a', since: savedSyncedUntil, changes: [{ table: 'tasks', id: taskId, op: 'delete', deletedAt: DELETED }] } }), 'push-response');
        if ('failed' in pushed) return pushed.failed;
        const read = readAs(await send(`${base}/sync/${appId}/pull?collection=tasks&since=${encodeURIComponent(pulledByB)}`, await as('client-b')), 'pull-response');
        if ('failed' in read) return read.failed;
        const ops = read.value.serverChanges.map((change) => change.op);
        return observed(isDeepStrictEqual(ops, ['delete']), `B pulled ${show(ops)}`);
      },
    );

    await step(
      {
        title: 'a push without Authorization',
        expected: '401 AUTH_MISSING_TOKEN',
        requirements: ['AUTH-1', 'ERR-1'],
        hint: 'every data endpoint needs a Bearer token (AUTH-1); the error body is JSON with a code (ERR-1)',
      },
      async () => {
        const answer = await send(`${base}/sync/${appId}`, { method: 'POST', body: { changes: [] } });
        const code = (answer.body as { error?: { code?: string } }).error?.code;
        return observed(answer.status === 401 && code === 'AUTH_MISSING_TOKEN', `${answer.status} ${show(answer.body)}`);
      },
    );
  },
});
