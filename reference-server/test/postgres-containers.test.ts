import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePgVersions, PG_VERSIONS_VARIABLE, postgresImage } from './support/postgres-containers.js';

// Probed once for the whole file: which branch of the skip behaviour this machine can show.
const { getContainerRuntimeClient } = await import('testcontainers');
const runtimeAbsent = await getContainerRuntimeClient().then(
  () => undefined,
  (error: Error) => error.message,
);
if (runtimeAbsent !== undefined) console.warn(`postgres-containers.test.ts: no container runtime: the container-start test is skipped (${runtimeAbsent})`);

/** The support module as a test file would load it with `value` in the environment. */
async function loadWith(value: string) {
  vi.resetModules();
  vi.stubEnv(PG_VERSIONS_VARIABLE, value);
  return import('./support/postgres-containers.js');
}

describe(`${PG_VERSIONS_VARIABLE}: PostgreSQL containers of several versions for the storage tests`, () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('reads a comma-separated list of versions, trimmed, in order, without repeats; unset or empty is none', () => {
    expect(parsePgVersions('14,15,16,17')).toEqual(['14', '15', '16', '17']);
    expect(parsePgVersions(' 17 , 14,,17, 16.4 ')).toEqual(['17', '14', '16.4']);
    expect(parsePgVersions(undefined)).toEqual([]);
    expect(parsePgVersions('')).toEqual([]);
    expect(parsePgVersions(' , ')).toEqual([]);
  });

  it.each(['latest', '16-alpine', 'v16', '0', '16.', 'postgres:16'])('refuses %j, naming the variable and the value', (value) => {
    expect(() => parsePgVersions(`14,${value}`)).toThrow(`${PG_VERSIONS_VARIABLE} lists PostgreSQL versions such as 14,15,16,17 (or 16.4); "${value}" is not one`);
  });

  it('names the alpine image of each version', () => {
    expect(postgresImage('14')).toBe('postgres:14-alpine');
    expect(postgresImage('16.4')).toBe('postgres:16.4-alpine');
  });

  it('without the variable there are no container targets and nothing is printed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { postgresContainerTargets } = await loadWith('');
    expect(postgresContainerTargets()).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it.skipIf(runtimeAbsent === undefined)('without a container engine the targets are skipped, and one line says so however often they are asked for', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { postgresContainerTargets } = await loadWith('14,15');
    expect(postgresContainerTargets()).toEqual([]);
    expect(postgresContainerTargets()).toEqual([]);
    expect(warn.mock.calls).toEqual([[`${PG_VERSIONS_VARIABLE}=14,15: no container runtime (${runtimeAbsent}): the PostgreSQL 14, 15 container targets are SKIPPED`]]);
  });

  it.skipIf(runtimeAbsent !== undefined)(`${runtimeAbsent === undefined ? '' : 'no container runtime: skipped — '}with a container engine each version is a target whose database answers with that version`, async () => {
    const { postgresContainerTargets } = await loadWith('14');
    const [target] = postgresContainerTargets();
    expect(target?.label).toBe('PostgreSQL 14 (container)');
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: await target!.url() });
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      expect(rows[0]!.server_version).toMatch(/^14\./);
    } finally {
      await client.end();
    }
  });
});
