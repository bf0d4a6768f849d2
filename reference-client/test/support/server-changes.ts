import type { ServerChange } from '../../../spec/generated/types.js';
import { formatCanonicalInstant } from '../../../spec/src/instant.js';

export const T0 = Date.UTC(2026, 10, 23, 10, 5);

let events = 0;

export interface FieldWrite {
  readonly value: unknown;
  /** Milliseconds after T0. */
  readonly t?: number;
  readonly c?: number;
}

export interface ChangeSpec {
  readonly table?: string;
  readonly id: string;
  readonly op?: ServerChange['op'];
  readonly userId: string;
  readonly clientId: string;
  readonly fields: Readonly<Record<string, FieldWrite>>;
  readonly spaceId?: string;
}

/** A server change as a server relays it (`server-change.schema.json`). */
export function serverChange(spec: ChangeSpec): ServerChange {
  const op = spec.op ?? 'update';
  const fields = Object.fromEntries(
    Object.entries(spec.fields).map(([name, write]) => [name, { value: write.value, at: formatCanonicalInstant(T0 + (write.t ?? 0)), c: write.c ?? 0 }]),
  );
  const values = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.value]));
  return {
    eventId: `e${++events}`,
    table: spec.table ?? 'tasks',
    id: spec.id,
    op,
    fields,
    ...(op === 'insert' ? { data: values } : {}),
    ...(op === 'delete' ? { deletedAt: (values.deletedAt as string | null | undefined) ?? null } : {}),
    spaceId: spec.spaceId ?? `_personal:${spec.userId}`,
    userId: spec.userId,
    clientId: spec.clientId,
    schemaVersion: 1,
    serverAt: formatCanonicalInstant(T0),
  };
}
