/** What a committed push wrote, without values: enough to tell who may read it (SPACE-2). */
export interface CommittedPush {
  readonly appId: string;
  /** The writer (PULL-12, WS-10). */
  readonly userId: string;
  readonly clientId: string;
  /** Each (table, space) the push wrote into, once. */
  readonly writes: ReadonlyArray<{ readonly table: string; readonly spaceId: string }>;
}

export type CommittedPushListener = (push: CommittedPush) => void;

/**
 * In-process news of committed pushes, for the live transports (SSE, WebSocket). It is published
 * only after the push's transaction committed, so a subscriber woken by it and reading through the
 * horizon reader never runs ahead of what a pull returns (PUSH-18); the reader, not the event, decides
 * what is delivered. A listener that throws does not affect the push or other listeners.
 */
export class ChangeFeed {
  readonly #listeners = new Set<CommittedPushListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  /** Subscribes; returns the unsubscribe function. */
  onCommitted(listener: CommittedPushListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(push: CommittedPush): void {
    for (const listener of this.#listeners) {
      try {
        listener(push);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
