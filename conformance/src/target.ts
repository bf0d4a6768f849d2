import type { AuthService } from './auth-service/auth-service.js';

/** A server the suite runs against, and how to let it go at the end. */
export interface Target {
  url: string;
  /** `image`: a container of --image, started and removed by the suite. */
  kind: 'reference' | 'external' | 'image';
  /** What the target printed so far, when the suite started it in containers (--image). */
  logs?(): string;
  close(): Promise<void>;
}

/** The origin the suite's CORS check sends as allowed (OPS-5); a target must list it in CORS_ORIGINS. */
export const SUITE_ORIGIN = 'http://conformance.mana-sync.invalid';

/** The environment a target must be started with to trust the suite's auth service and origin. */
export function targetEnvironment(auth: Pick<AuthService, 'targetEnvironment'>): Record<string, string> {
  return { ...auth.targetEnvironment(), CORS_ORIGINS: SUITE_ORIGIN };
}

export function externalTarget(url: string): Target {
  return { url: url.replace(/\/+$/, ''), kind: 'external', close: () => Promise.resolve() };
}
