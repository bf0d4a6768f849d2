import type { ArrivalSignal } from './arrival-signal.js';

/**
 * The network of one simulated device: a `fetch` that can be cut (the device is offline: every
 * request fails as a network failure does, so the client queues its writes) and that tells when an
 * SSE stream has been opened.
 */
export class DeviceNetwork {
  online = true;
  /** Streams the server answered with `text/event-stream`. */
  streamsOpened = 0;
  constructor(private readonly arrivals: ArrivalSignal) {}

  readonly fetch: typeof fetch = async (input, init) => {
    if (!this.online) throw new TypeError('fetch failed: the device is offline (cut by the scenario)');
    const response = await globalThis.fetch(input, init);
    if (response.ok && (response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      this.streamsOpened++;
      this.arrivals.notify();
    }
    return response;
  };
}
