import { Agent, request } from 'undici';
import type { Change, Changeset, PullResponse, PushResponse } from '../../spec/generated/types.js';
import type { BenchTarget } from './bench-target.js';

// The load generator's HTTP: undici's request on a keep-alive agent without a connection limit
// (fetch would add a WHATWG Response per request, which the generator's own CPU would pay for).

export const benchAgent = new Agent({ keepAliveTimeout: 30_000, connections: null, pipelining: 1 });

export interface Device {
  readonly userId: string;
  readonly clientId: string;
  readonly token: string;
}

export async function deviceOf(target: BenchTarget, userId: string): Promise<Device> {
  return { userId, clientId: crypto.randomUUID(), token: await target.tokenOf(userId) };
}

/** `count` inserts into the user's personal space, shaped as the reference client writes them. */
export function insertChanges(userId: string, count: number, table = 'tasks', spaceId = `_personal:${userId}`): Change[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, index) => ({
    table,
    id: crypto.randomUUID(),
    op: 'insert',
    data: { title: `task ${index} of ${userId}`, done: index % 2 === 0, priority: index % 5, notes: 'bench' },
    at,
    c: 0,
    spaceId,
  }));
}

async function ok<T>(what: string, response: Awaited<ReturnType<typeof request>>): Promise<T> {
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${what}: ${response.statusCode} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** One push as a client sends it: a fresh push id, `since` its own cursor. */
export async function push(target: BenchTarget, appId: string, device: Device, changes: readonly Change[], since: string): Promise<PushResponse> {
  const body: Changeset = { clientId: device.clientId, pushId: crypto.randomUUID(), since, schemaVersion: 1, changes: [...changes] };
  const response = await request(`${target.url}/sync/${appId}`, {
    method: 'POST',
    dispatcher: benchAgent,
    headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json', 'x-client-id': device.clientId },
    body: JSON.stringify(body),
  });
  return ok(`push of ${changes.length} by ${device.userId}`, response);
}

export async function pull(target: BenchTarget, appId: string, device: Device, collection: string, since: string): Promise<PullResponse> {
  const response = await request(`${target.url}/sync/${appId}/pull?${new URLSearchParams({ collection, since }).toString()}`, {
    dispatcher: benchAgent,
    headers: { authorization: `Bearer ${device.token}`, 'x-client-id': device.clientId },
  });
  return ok(`pull of ${collection} by ${device.userId}`, response);
}
