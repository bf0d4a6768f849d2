import {
  DEFAULT_PORT,
  JWKS_REFRESH_COOLDOWN_SECONDS,
  MEMBERSHIP_MAX_STALENESS_SECONDS,
  SSE_HEARTBEAT_SECONDS,
  WS_AUTH_TIMEOUT_SECONDS,
  WS_PING_INTERVAL_SECONDS,
} from '../../spec/generated/constants.js';

export type DatabaseConfig = { kind: 'postgresql'; url: string } | { kind: 'pglite'; dataDir: string | undefined };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything the server reads from its environment (OPS-9), parsed and checked. */
export interface ServerConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** The PostgreSQL schema holding the server's tables. */
  databaseSchema: string;
  /** The NOLOGIN role every request's queries run as, so that row-level security binds (SPACE-14). */
  databaseAppRole: string;
  jwksUrl: string;
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  jwksRefreshCooldownSeconds: number;
  manaAuthUrl: string;
  manaServiceKey: string | undefined;
  membershipCacheTtlSeconds: number;
  corsOrigins: string[];
  sseHeartbeatSeconds: number;
  wsAuthTimeoutSeconds: number;
  wsPingIntervalSeconds: number;
  logLevel: LogLevel;
}

/** A configuration the server refuses to start with; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

interface Variable {
  readonly name: string;
  /** The default as text, or undefined when the variable is optional without a default. */
  readonly fallback: string | undefined;
  readonly description: string;
}

/** Every environment variable, in the order `--help` lists them; names and defaults of the first server where it had them. */
export const ENVIRONMENT_VARIABLES = [
  { name: 'PORT', fallback: String(DEFAULT_PORT), description: 'TCP port to listen on (0: any free port).' },
  { name: 'HOST', fallback: '0.0.0.0', description: 'Address to listen on.' },
  { name: 'DATABASE_URL', fallback: undefined, description: 'PostgreSQL connection string. Unset: embedded PGlite.' },
  { name: 'PGLITE_DATA_DIR', fallback: undefined, description: 'Directory of the embedded PGlite database when DATABASE_URL is unset. Unset: in memory (lost at exit).' },
  { name: 'DATABASE_SCHEMA', fallback: 'mana_sync', description: 'PostgreSQL schema of the server\'s tables (created by the migrations).' },
  { name: 'DATABASE_APP_ROLE', fallback: 'mana_sync_app', description: 'NOLOGIN role (created by the migrations) that every request runs as, so that row-level security binds.' },
  { name: 'JWKS_URL', fallback: 'http://localhost:3001/api/auth/jwks', description: 'JSON Web Key Set of the auth service (Ed25519 keys).' },
  { name: 'JWT_ISSUER', fallback: undefined, description: 'Required `iss` of tokens. Unset: not checked.' },
  { name: 'JWT_AUDIENCE', fallback: undefined, description: 'Required `aud` of tokens. Unset: not checked.' },
  { name: 'JWKS_REFRESH_COOLDOWN_SECONDS', fallback: String(JWKS_REFRESH_COOLDOWN_SECONDS), description: `Least seconds between JWKS fetches caused by unknown key ids (1 to ${JWKS_REFRESH_COOLDOWN_SECONDS}).` },
  { name: 'MANA_AUTH_URL', fallback: 'http://localhost:3001', description: 'Base URL of the auth service, asked for memberships.' },
  { name: 'MANA_SERVICE_KEY', fallback: undefined, description: 'Service key sent as x-service-key to the auth service and required by POST /internal/memberships/{userId}/invalidate.' },
  { name: 'MEMBERSHIP_CACHE_TTL_SECONDS', fallback: String(MEMBERSHIP_MAX_STALENESS_SECONDS), description: `Seconds a membership answer is used (1 to ${MEMBERSHIP_MAX_STALENESS_SECONDS}).` },
  { name: 'CORS_ORIGINS', fallback: 'http://localhost:5173', description: 'Comma-separated origins allowed by CORS.' },
  { name: 'SSE_HEARTBEAT_SECONDS', fallback: String(SSE_HEARTBEAT_SECONDS), description: `Default seconds between SSE heartbeats (1 to ${SSE_HEARTBEAT_SECONDS}).` },
  { name: 'WS_AUTH_TIMEOUT_SECONDS', fallback: String(WS_AUTH_TIMEOUT_SECONDS), description: `Seconds a WebSocket has to authenticate (1 to ${WS_AUTH_TIMEOUT_SECONDS}).` },
  { name: 'WS_PING_INTERVAL_SECONDS', fallback: String(WS_PING_INTERVAL_SECONDS), description: `Seconds between WebSocket protocol pings; two unanswered close the socket (1 to ${WS_PING_INTERVAL_SECONDS}).` },
  { name: 'LOG_LEVEL', fallback: 'info', description: 'fatal, error, warn, info, debug, trace or silent.' },
] as const satisfies readonly Variable[];

export type VariableName = (typeof ENVIRONMENT_VARIABLES)[number]['name'];

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Reads and checks the configuration; an empty variable counts as unset. */
export function configFromEnvironment(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const read = (name: VariableName): string | undefined => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    return ENVIRONMENT_VARIABLES.find((variable) => variable.name === name)?.fallback;
  };
  const required = (name: VariableName): string => {
    const value = read(name);
    if (value === undefined) throw new ConfigError(`${name} is required`);
    return value;
  };
  const integer = (name: VariableName, min: number, max: number): number => {
    const text = required(name);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, not "${text}"`);
    return value;
  };
  const url = (name: VariableName): string => {
    const text = required(name);
    if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) throw new ConfigError(`${name} must be an http(s) URL, not "${text}"`);
    return text;
  };
  const identifier = (name: VariableName): string => {
    const text = required(name);
    if (!IDENTIFIER.test(text)) throw new ConfigError(`${name} must be a lower-case SQL identifier ([a-z_][a-z0-9_]*), not "${text}"`);
    return text;
  };
  const logLevel = required('LOG_LEVEL');
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);
  const databaseUrl = read('DATABASE_URL');
  const corsOrigins = required('CORS_ORIGINS')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  return {
    port: integer('PORT', 0, 65_535),
    host: required('HOST'),
    database: databaseUrl === undefined ? { kind: 'pglite', dataDir: read('PGLITE_DATA_DIR') } : { kind: 'postgresql', url: databaseUrl },
    databaseSchema: identifier('DATABASE_SCHEMA'),
    databaseAppRole: identifier('DATABASE_APP_ROLE'),
    jwksUrl: url('JWKS_URL'),
    jwtIssuer: read('JWT_ISSUER'),
    jwtAudience: read('JWT_AUDIENCE'),
    jwksRefreshCooldownSeconds: integer('JWKS_REFRESH_COOLDOWN_SECONDS', 1, JWKS_REFRESH_COOLDOWN_SECONDS),
    manaAuthUrl: url('MANA_AUTH_URL'),
    manaServiceKey: read('MANA_SERVICE_KEY'),
    membershipCacheTtlSeconds: integer('MEMBERSHIP_CACHE_TTL_SECONDS', 1, MEMBERSHIP_MAX_STALENESS_SECONDS),
    corsOrigins,
    sseHeartbeatSeconds: integer('SSE_HEARTBEAT_SECONDS', 1, SSE_HEARTBEAT_SECONDS),
    wsAuthTimeoutSeconds: integer('WS_AUTH_TIMEOUT_SECONDS', 1, WS_AUTH_TIMEOUT_SECONDS),
    wsPingIntervalSeconds: integer('WS_PING_INTERVAL_SECONDS', 1, WS_PING_INTERVAL_SECONDS),
    logLevel: logLevel as LogLevel,
  };
}
