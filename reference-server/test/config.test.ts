import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, MEMBERSHIP_MAX_STALENESS_SECONDS } from '../../spec/generated/constants.js';
import { ConfigError, configFromEnvironment } from '../src/config.js';

describe('configuration', () => {
  it('OPS-9 reads the first server\'s names with their defaults, and PGlite in memory without DATABASE_URL', () => {
    const config = configFromEnvironment({});
    expect(config).toMatchObject({
      port: DEFAULT_PORT,
      host: '0.0.0.0',
      database: { kind: 'pglite', dataDir: undefined },
      jwksUrl: 'http://localhost:3001/api/auth/jwks',
      manaAuthUrl: 'http://localhost:3001',
      manaServiceKey: undefined,
      corsOrigins: ['http://localhost:5173'],
      jwtIssuer: undefined,
      jwtAudience: undefined,
      membershipCacheTtlSeconds: MEMBERSHIP_MAX_STALENESS_SECONDS,
    });
  });

  it('OPS-9 takes every variable from the environment; an empty one counts as unset', () => {
    const config = configFromEnvironment({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/sync',
      PGLITE_DATA_DIR: '',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      JWT_ISSUER: 'https://auth.example',
      JWT_AUDIENCE: 'mana-sync',
      MEMBERSHIP_CACHE_TTL_SECONDS: '5',
      JWKS_REFRESH_COOLDOWN_SECONDS: '1',
    });
    expect(config).toMatchObject({
      port: 8080,
      database: { kind: 'postgresql', url: 'postgres://u:p@db:5432/sync' },
      corsOrigins: ['https://a.example', 'https://b.example'],
      jwtIssuer: 'https://auth.example',
      jwtAudience: 'mana-sync',
      membershipCacheTtlSeconds: 5,
      jwksRefreshCooldownSeconds: 1,
    });
    expect(configFromEnvironment({ PGLITE_DATA_DIR: '/var/lib/mana' }).database).toEqual({ kind: 'pglite', dataDir: '/var/lib/mana' });
  });

  it('SPACE-7 AUTH-8 OPS-2 refuses values outside the spec\'s bounds, naming the variable', () => {
    for (const [name, value] of [
      ['MEMBERSHIP_CACHE_TTL_SECONDS', '31'],
      ['MEMBERSHIP_CACHE_TTL_SECONDS', '0'],
      ['JWKS_REFRESH_COOLDOWN_SECONDS', '0'],
      ['SSE_HEARTBEAT_SECONDS', '31'],
      ['PORT', 'http'],
      ['JWKS_URL', 'not a url'],
      ['LOG_LEVEL', 'loud'],
      ['DATABASE_SCHEMA', 'Robert"); DROP'],
    ] as const) {
      expect(() => configFromEnvironment({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => configFromEnvironment({ [name]: value })).toThrow(name);
    }
  });
});
