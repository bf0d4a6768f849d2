// What the demo page needs to run as one user of one app, carried in its query string so that a
// reload (or a link) opens the same user's local data again. The test builds the URL with
// demoPageUrl; the page reads it with readDemoConfig: one list of parameters for both.

export interface DemoConfig {
  /** Base URL of the mana-sync server. */
  readonly server: string;
  /** The user's JWT (its `sub` is `user`). */
  readonly token: string;
  readonly appId: string;
  readonly userId: string;
  /** The shared space new to-dos go to unless marked private (personal space then, SPACE-13). */
  readonly spaceId: string;
  /** The user's vault key, 32 bytes base64url: private to-dos are encrypted with it (CRYPT-7). */
  readonly vaultKey: string;
  /** Cap of the retry backoff in ms, so that a demo comes back soon after the network does. */
  readonly maxRetryMs?: number;
}

const PARAMETERS = { server: 'server', token: 'token', appId: 'app', userId: 'user', spaceId: 'space', vaultKey: 'key' } as const;

/** The page's URL for this config. */
export function demoPageUrl(pageUrl: string, config: DemoConfig): string {
  const url = new URL(pageUrl);
  for (const [key, name] of Object.entries(PARAMETERS)) url.searchParams.set(name, config[key as keyof typeof PARAMETERS]);
  if (config.maxRetryMs !== undefined) url.searchParams.set('retry', String(config.maxRetryMs));
  return url.toString();
}

/** The config of a query string; throws naming the missing parameters. */
export function readDemoConfig(search: string): DemoConfig {
  const params = new URLSearchParams(search);
  const missing = Object.values(PARAMETERS).filter((name) => !params.get(name));
  if (missing.length > 0) throw new Error(`the page needs the query parameters ${missing.join(', ')}`);
  const value = (key: keyof typeof PARAMETERS): string => params.get(PARAMETERS[key])!;
  const retry = params.get('retry');
  return {
    server: value('server'),
    token: value('token'),
    appId: value('appId'),
    userId: value('userId'),
    spaceId: value('spaceId'),
    vaultKey: value('vaultKey'),
    ...(retry === null ? {} : { maxRetryMs: Number(retry) }),
  };
}
