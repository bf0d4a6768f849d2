import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { withPropertyBudget } from '../properties/property-check.js';
import { PROTOCOL_NAME } from '../../spec/generated/constants.js';
import type { Health } from '../../spec/generated/types.js';
import type { Requirement } from '../../spec/src/requirement-index.js';
import { loadRequirementCatalog } from '../../spec/src/requirements.js';
import { PROTOCOL_FILE } from '../../spec/src/spec-paths.js';
import { startAuthService, type AuthService } from './auth-service/auth-service.js';
import type { Check } from './check.js';
import { runChecks } from './check-runner.js';
import { selectChecks } from './check-selection.js';
import { ALL_CHECKS } from './checks/registry.js';
import { helpText, propertyBudgetOf, type RunOptions } from './cli-options.js';
import { expectationsFromRun, readExpectations, writeExpectations, type Expectation } from './expectations-file.js';
import { CONTAINER_LOG_FILE, containerPlan, POSTGRES_IMAGE, noRuntimeMessage, startImageTarget, testcontainersRuntime, type ContainerRuntime, type ImageTarget } from './image-target.js';
import { ProgressDisplay } from './progress.js';
import { startReferenceTarget } from './reference-target.js';
import { REPORTERS } from './reporters/reporters.js';
import type { RunReport } from './run-report.js';
import { externalTarget, type Target } from './target.js';
import { environmentNotice, probeTarget } from './target-probe.js';
import { UsageError } from './usage-error.js';
import { computeVerdicts, countVerdicts, runFails, summaryLine } from './verdicts.js';

export interface CommandIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** The container runtime of --image; testcontainers unless a test gives another. */
  containerRuntime?: () => Promise<ContainerRuntime>;
}

/** Client and archive requirements bind other parties; a server run cannot observe them. */
const SCOPE = 'Server requirements only: requirements whose subject is a client or an archive bind sync clients and .mana readers and writers, which a run against a server cannot observe; the reference client and archive tests cover them.';
/** With --target, a fixed port keeps the printed environment valid from one run to the next. */
const DEFAULT_EXTERNAL_AUTH_PORT = 3051;
const DEFAULT_EXTERNAL_SERVICE_KEY = 'mana-conformance-service-key';

function suiteVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function listChecks(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((check) => check.id.length));
  return checks.map((check) => `${check.id.padEnd(width)}  ${check.level.padEnd(6)}  ${check.description}`).join('\n');
}

function serverRequirements(): Requirement[] {
  return loadRequirementCatalog().all.filter((requirement) => requirement.subject === 'server');
}

function loadExpectations(options: RunOptions, requirements: readonly Requirement[]): Map<string, Expectation> {
  if (options.expectations === undefined) return new Map();
  // --update-expectations may create the file it names.
  if (options.updateExpectations && !existsSync(options.expectations)) return new Map();
  return readExpectations(options.expectations, new Set(requirements.map((r) => r.id)));
}

/** Starts the image and probes it; a container that does not trust the suite is removed before the error. */
async function startImage(options: RunOptions & { image: string }, auth: AuthService, runtime: ContainerRuntime): Promise<{ target: ImageTarget; health: Health | undefined }> {
  const plan = containerPlan({ image: options.image, port: options.imagePort, env: options.imageEnv, withPostgres: options.withPostgres }, auth);
  const target = await startImageTarget(plan, { runtime });
  try {
    return { target, health: await probeTarget(target.url, auth) };
  } catch (error) {
    const logs = target.logs();
    await target.close();
    throw new UsageError(`${(error as Error).message}${logs ? `\nOutput of the containers:\n${logs}` : ''}`);
  }
}

async function startTarget(options: RunOptions, auth: AuthService, io: CommandIo, runtime: ContainerRuntime | undefined): Promise<{ target: Target; health: Health | undefined }> {
  if (options.image !== undefined && runtime !== undefined) return startImage({ ...options, image: options.image }, auth, runtime);
  if (options.target === undefined) {
    const target = await startReferenceTarget(auth);
    const health = await probeTarget(target.url, auth).catch(async (error: unknown) => {
      await target.close();
      throw error;
    });
    return { target, health };
  }
  const target = externalTarget(options.target);
  io.stderr.write(`${environmentNotice(auth)}\n`);
  return { target, health: await probeTarget(target.url, auth) };
}

/** `mana-conformance run`: returns the exit status (0 every MUST holds, 1 a failure, 2 a usage error). */
export async function runCommand(options: RunOptions, io: CommandIo): Promise<number> {
  if (options.help) {
    io.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const selected = withPropertyBudget(selectChecks(ALL_CHECKS, options.only, options.skip), propertyBudgetOf(options));
  if (options.list) {
    io.stdout.write(`${listChecks(selected)}\n`);
    return 0;
  }
  if (selected.length === 0) throw new UsageError(`--only/--skip leave no check to run (only: ${options.only.join(',') || '-'}, skip: ${options.skip.join(',') || '-'}); see --list`);
  const requirements = serverRequirements();
  const expectations = loadExpectations(options, requirements);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  let runtime: ContainerRuntime | undefined;
  if (options.image !== undefined) {
    // Probed once, before anything starts: without an engine the run ends here, in one line.
    runtime = await (io.containerRuntime ?? testcontainersRuntime)();
    const absent = await runtime.probe();
    if (absent !== undefined) {
      io.stderr.write(`${noRuntimeMessage(absent)}\n`);
      return 2;
    }
  }
  const external = options.target !== undefined;
  const auth = await startAuthService({
    port: options.authPort ?? (external ? DEFAULT_EXTERNAL_AUTH_PORT : 0),
    serviceKey: options.serviceKey ?? (external ? (process.env.MANA_SERVICE_KEY ?? DEFAULT_EXTERNAL_SERVICE_KEY) : undefined),
  }).catch((error: Error) => {
    throw new UsageError(`the suite's auth service cannot listen (${error.message}); pick another --auth-port`);
  });
  let target: Target | undefined;
  try {
    const started = await startTarget(options, auth, io, runtime);
    target = started.target;
    const startedAt = new Date();
    if (!options.json) io.stderr.write(`mana-conformance: ${selected.length} checks against ${target.url} (${target.kind}), seed ${seed}\n`);
    const progress = new ProgressDisplay(io.stderr);
    const outcomes = await runChecks(selected, {
      baseUrl: target.url,
      auth,
      seed,
      runTag: Date.now().toString(36),
      checkTimeoutMs: options.timeout * 1000,
      ...(started.health?.limits ? { limits: started.health.limits } : {}),
      concurrency: options.concurrency,
      onOutcome: (outcome, done, total) => progress.update(outcome, done, total),
    });
    progress.finish();
    const finishedAt = new Date();
    const selectedIds = new Set(selected.map((check) => check.requirement));
    const deselected = new Set(ALL_CHECKS.map((check) => check.requirement).filter((id) => !selectedIds.has(id)));
    const verdicts = computeVerdicts({ requirements, outcomes, deselected, expectations });
    const counts = countVerdicts(verdicts);
    const reportDir = resolve(options.reportDir);
    const specHref = relative(reportDir, PROTOCOL_FILE).split('\\').join('/');
    const byId = new Map(requirements.map((r) => [r.id, r]));
    const report: RunReport = {
      run: {
        target: target.url,
        targetKind: target.kind,
        ...(options.image !== undefined ? { image: { name: options.image, ...(options.withPostgres ? { postgres: POSTGRES_IMAGE } : {}), logs: CONTAINER_LOG_FILE } } : {}),
        seed,
        strict: options.strict,
        only: options.only,
        skip: options.skip,
        ...(options.expectations ? { expectationsFile: options.expectations } : {}),
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        versions: { suite: suiteVersion(), protocol: PROTOCOL_NAME, node: process.version, ...(started.health?.version ? { server: started.health.version } : {}) },
        scope: SCOPE,
      },
      counts,
      summary: summaryLine(counts, options.strict),
      passed: !runFails(verdicts, options.strict),
      requirements: verdicts.map((v) => {
        const requirement = byId.get(v.id)!;
        return {
          id: v.id,
          area: requirement.area,
          level: v.level,
          title: requirement.title,
          text: requirement.text,
          specLink: `${specHref}#${requirement.anchor}`,
          verdict: v.verdict,
          ...(v.reason ? { reason: v.reason } : {}),
          skipped: v.skipped,
          ...(v.expectation ? { expectation: v.expectation } : {}),
          failures: v.failures,
          checks: outcomes.filter((outcome) => outcome.requirement === v.id),
        };
      }),
    };
    mkdirSync(reportDir, { recursive: true });
    const logs = target.logs?.();
    if (logs !== undefined) writeFileSync(join(reportDir, CONTAINER_LOG_FILE), logs);
    for (const Reporter of Object.values(REPORTERS)) {
      const reporter = new Reporter();
      writeFileSync(join(reportDir, reporter.fileName), reporter.render(report));
    }
    if (options.updateExpectations) {
      const file = options.expectations ?? 'conformance-expectations.json';
      writeExpectations(file, expectationsFromRun(verdicts, options.strict));
      if (!options.json) io.stderr.write(`wrote ${file}\n`);
    }
    if (options.json) {
      io.stdout.write(new REPORTERS.json().render(report));
    } else {
      // A SHOULD not met is named even when it does not fail the run: the summary's count alone
      // would leave the reader to dig the requirement out of the report.
      for (const row of report.requirements.filter((r) => r.verdict === 'FAIL' || r.verdict === 'UNEXPECTED-PASS' || r.verdict === 'NON-STRICT')) {
        const first = row.failures[0];
        io.stdout.write(`${row.verdict} ${row.id} (${row.level}) ${row.title}: ${first ? `expected ${first.expected}, got ${first.actual}` : (row.reason ?? '')}\n`.slice(0, 2000));
      }
      io.stdout.write(`reports: ${reportDir}/{${Object.values(REPORTERS).map((R) => new R().fileName).join(',')}}\n`);
      io.stdout.write(`${report.summary}\n`);
    }
    return report.passed ? 0 : 1;
  } finally {
    await target?.close();
    await auth.close();
  }
}
