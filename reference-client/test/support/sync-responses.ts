import type { PullResponse, PushResponse, ServerChange } from '../../../spec/generated/types.js';
import { HttpResponse } from 'msw';

export function pushResponse(options: { serverChanges?: ServerChange[]; syncedUntil?: string; hasMore?: boolean; accepted?: number; replayed?: boolean } = {}): PushResponse {
  return {
    serverChanges: options.serverChanges ?? [],
    conflicts: [],
    syncedUntil: options.syncedUntil ?? 'c-1',
    hasMore: options.hasMore ?? false,
    accepted: options.accepted ?? 0,
    ...(options.replayed === undefined ? {} : { replayed: options.replayed }),
  };
}

export function pullResponse(options: { serverChanges?: ServerChange[]; syncedUntil?: string; hasMore?: boolean } = {}): PullResponse {
  return { serverChanges: options.serverChanges ?? [], conflicts: [], syncedUntil: options.syncedUntil ?? 'c-1', hasMore: options.hasMore ?? false };
}

/** The spec's error body (`error.schema.json`) with its status and optional Retry-After (ERR-7). */
export function errorResponse(status: number, code: string, retryAfterSeconds?: number): Response {
  return HttpResponse.json(
    { error: { code, message: `${code} (test)` } },
    { status, headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) } },
  );
}
