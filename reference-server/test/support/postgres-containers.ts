// MANA_TEST_PG_VERSIONS=14,15,16,17 adds a PostgreSQL container of each major version (testcontainers)
// to the databases every storage test runs on, so the SQL is proven on every version a user may run,
// not only on PGlite and the machine's server. Without a container engine the targets are skipped,
// and one line says so.

export const PG_VERSIONS_VARIABLE = 'MANA_TEST_PG_VERSIONS';

/** The versions named by the variable, in order, without repeats; anything but a version (16, 16.4) is an error. */
export function parsePgVersions(value: string | undefined): string[] {
  const versions = (value ?? '').split(',').map((version) => version.trim()).filter((version) => version !== '');
  for (const version of versions) {
    if (!/^[1-9]\d*(\.\d+)?$/.test(version)) throw new Error(`${PG_VERSIONS_VARIABLE} lists PostgreSQL versions such as 14,15,16,17 (or 16.4); "${version}" is not one`);
  }
  return [...new Set(versions)];
}

export const postgresImage = (version: string): string => `postgres:${version}-alpine`;

export interface ContainerDatabaseTarget {
  label: string;
  /** Starts the container on first use (one per version and test file) and gives its connection URI. */
  url(): Promise<string>;
}

const versions = parsePgVersions(process.env[PG_VERSIONS_VARIABLE]);

async function loadTestcontainers() {
  return { ...(await import('testcontainers')), ...(await import('@testcontainers/postgresql')) };
}

// Probed once per test file, and only when versions are asked for: loading testcontainers costs half a second.
const testcontainers = versions.length === 0 ? undefined : await loadTestcontainers();
const runtimeAbsent = await testcontainers?.getContainerRuntimeClient().then(
  () => undefined,
  (error: Error) => error.message,
);

// testcontainers' reaper (Ryuk) removes the containers when the test process that started them ends.
type StartedPostgres = Awaited<ReturnType<InstanceType<NonNullable<typeof testcontainers>['PostgreSqlContainer']>['start']>>;
const started = new Map<string, Promise<StartedPostgres>>();

let skipReported = false;

/** One target per version of MANA_TEST_PG_VERSIONS; none, with one line on stderr, without a container engine. */
export function postgresContainerTargets(): ContainerDatabaseTarget[] {
  if (testcontainers === undefined) return [];
  if (runtimeAbsent !== undefined) {
    if (!skipReported) console.warn(`${PG_VERSIONS_VARIABLE}=${versions.join(',')}: no container runtime (${runtimeAbsent}): the PostgreSQL ${versions.join(', ')} container targets are SKIPPED`);
    skipReported = true;
    return [];
  }
  const { PostgreSqlContainer } = testcontainers;
  return versions.map((version) => ({
    label: `PostgreSQL ${version} (container)`,
    async url() {
      let container = started.get(version);
      if (container === undefined) {
        container = new PostgreSqlContainer(postgresImage(version)).start();
        started.set(version, container);
      }
      return (await container).getConnectionUri();
    },
  }));
}
