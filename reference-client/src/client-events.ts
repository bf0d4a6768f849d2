import type { ClientError } from './errors.js';
import type { RejectedPush } from './store/local-database.js';
import type { DecodeFailure, RecordConflict } from './store/server-changes.js';

/**
 * - idle: not syncing and not started (or stopped);
 * - syncing: a push or pull is running;
 * - online: the last exchange with the server succeeded (and, when started, the live connection is up);
 * - offline: the server cannot be reached; writes are queued and sent once it can;
 * - error: the server refused a request (see the `error` of the event).
 */
export type SyncState = 'idle' | 'syncing' | 'online' | 'offline' | 'error';

/** The events of a client, by name, with their listener's arguments. */
export interface ClientEventMap {
  state: [state: SyncState, error: unknown];
  /** LWW-16: a local edit that was not pushed yet lost to an incoming write. */
  conflict: [conflict: RecordConflict];
  /** Records changed, by a local write or by applied server changes. */
  change: [records: readonly { table: string; id: string }[], origin: 'local' | 'remote'];
  /** CRYPT-11: an incoming value could not be decoded; the rest of the change was applied. */
  'decode-error': [failure: DecodeFailure];
  /** ERR-10: a push refused for good, set aside in the store (`rejectedPushes()`). */
  'push-rejected': [push: RejectedPush, error: ClientError];
}

export type ClientEventName = keyof ClientEventMap;
export type ClientEventListener<K extends ClientEventName> = (...args: ClientEventMap[K]) => void;

export class ClientEvents {
  private readonly listeners: { [K in ClientEventName]?: Set<ClientEventListener<K>> } = {};

  /** Adds a listener; returns the function that removes it. */
  on<K extends ClientEventName>(name: K, listener: ClientEventListener<K>): () => void {
    const set: Set<ClientEventListener<K>> = this.listeners[name] ?? new Set();
    (this.listeners as Record<K, Set<ClientEventListener<K>>>)[name] = set;
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends ClientEventName>(name: K, ...args: ClientEventMap[K]): void {
    const set = this.listeners[name];
    for (const listener of set ?? []) {
      try {
        listener(...args);
      } catch (error) {
        // As with DOM event listeners: a throwing listener is reported and does not stop sync.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
