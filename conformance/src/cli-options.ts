import { parseArgs } from 'node:util';
import { DEEP_BUDGET, DEFAULT_BUDGET, parseReplay, type PropertyBudget } from '../properties/property-budget.js';
import { parseImageEnv } from './image-target.js';
import { UsageError } from './usage-error.js';

/** Everything `mana-conformance run` can be told. */
export interface RunOptions {
  target: string | undefined;
  image: string | undefined;
  imagePort: number;
  imageEnv: string[];
  withPostgres: boolean;
  only: string[];
  skip: string[];
  strict: boolean;
  list: boolean;
  seed: number | undefined;
  timeout: number;
  reportDir: string;
  expectations: string | undefined;
  updateExpectations: boolean;
  json: boolean;
  authPort: number | undefined;
  serviceKey: string | undefined;
  concurrency: number;
  runs: number | undefined;
  deep: boolean;
  replay: string | undefined;
  help: boolean;
}

/** `list` splits on commas; `repeated` keeps each value whole (an environment value may hold commas). */
type Kind = 'string' | 'boolean' | 'integer' | 'list' | 'repeated';

interface OptionSpec<T> {
  flag: string;
  kind: Kind;
  description: string;
  default: T;
  /** Shown in the help: `--seed <n>`. */
  argument?: string;
}

// Options are data (vitest's style): every key of RunOptions needs an entry here, or this does not compile.
export const RUN_OPTIONS: { [K in keyof RunOptions]-?: OptionSpec<RunOptions[K]> } = {
  target: { flag: 'target', kind: 'string', argument: 'url', default: undefined, description: 'run against this server; without it the reference server is started in-process on embedded PGlite' },
  image: { flag: 'image', kind: 'string', argument: 'name[:tag]', default: undefined, description: 'start this container image (testcontainers; needs a Docker engine), run against it, put its logs beside the reports and remove it afterwards' },
  imagePort: { flag: 'image-port', kind: 'integer', argument: 'port', default: 3050, description: 'port the image listens on inside the container (passed to it as PORT; default 3050)' },
  imageEnv: { flag: 'image-env', kind: 'repeated', argument: 'K=V', default: [], description: 'extra environment of the image, overriding the suite\'s; repeatable' },
  withPostgres: { flag: 'with-postgres', kind: 'boolean', default: false, description: 'with --image: start PostgreSQL beside it on a network of their own and pass DATABASE_URL' },
  only: { flag: 'only', kind: 'list', argument: 'pattern', default: [], description: 'run only these checks: a requirement ID (PUSH-6), an area (AUTH), a check id, or a glob (AUTH-1*); repeatable, comma-separated' },
  skip: { flag: 'skip', kind: 'list', argument: 'pattern', default: [], description: 'leave these checks out (same patterns as --only)' },
  strict: { flag: 'strict', kind: 'boolean', default: false, description: 'a SHOULD that is not met (NON-STRICT) fails the run too' },
  list: { flag: 'list', kind: 'boolean', default: false, description: 'list every check with its requirement, level and what it sends, and exit without running' },
  seed: { flag: 'seed', kind: 'integer', argument: 'n', default: undefined, description: 'seed of the generated data (printed by every run; default: random)' },
  timeout: { flag: 'timeout', kind: 'integer', argument: 'seconds', default: 15, description: 'failure bound of one check' },
  reportDir: { flag: 'report-dir', kind: 'string', argument: 'dir', default: 'conformance-report', description: 'where report.json, junit.xml and report.html are written' },
  expectations: { flag: 'expectations', kind: 'string', argument: 'file', default: undefined, description: 'JSON file of requirements expected to fail: {"expectedFailures":{"PUSH-6":{"reason":"...","link":"..."}}}' },
  updateExpectations: { flag: 'update-expectations', kind: 'boolean', default: false, description: 'write the expectations file (--expectations, else ./conformance-expectations.json) from this run' },
  json: { flag: 'json', kind: 'boolean', default: false, description: 'print report.json on stdout instead of the text summary' },
  authPort: { flag: 'auth-port', kind: 'integer', argument: 'port', default: undefined, description: 'port of the suite\'s auth service (default with --target: 3051, so the printed environment stays valid; else a free port)' },
  serviceKey: { flag: 'service-key', kind: 'string', argument: 'key', default: undefined, description: 'MANA_SERVICE_KEY the auth service expects (default with --target: $MANA_SERVICE_KEY or a fixed suite key; else random)' },
  concurrency: { flag: 'concurrency', kind: 'integer', argument: 'n', default: 8, description: 'checks run at the same time (exclusive checks always run alone)' },
  runs: { flag: 'runs', kind: 'integer', argument: 'n', default: undefined, description: `runs of each model-based property check (default ${DEFAULT_BUDGET.runs}; with --deep ${DEEP_BUDGET.runs})` },
  deep: { flag: 'deep', kind: 'boolean', default: false, description: `a larger search for the model-based properties: ${DEEP_BUDGET.runs} runs of up to ${DEEP_BUDGET.maxCommands} commands each (instead of ${DEFAULT_BUDGET.runs} of up to ${DEFAULT_BUDGET.maxCommands})` },
  replay: { flag: 'replay', kind: 'string', argument: 'path', default: undefined, description: 'with --seed and --only <check>: replay the counterexample a property failure printed (fast-check path[@replayPath])' },
  help: { flag: 'help', kind: 'boolean', default: false, description: 'show this help' },
};

export function helpText(): string {
  const lines = Object.values(RUN_OPTIONS).map((spec) => {
    const flag = `--${spec.flag}${spec.argument ? ` <${spec.argument}>` : ''}`;
    return `  ${flag.padEnd(28)} ${spec.description}`;
  });
  return `Usage: mana-conformance run [options]

Runs the mana-sync conformance suite against a server and reports, requirement by requirement of
spec/protocol.md, PASS, FAIL, NON-STRICT, NOT CHECKED, EXPECTED-FAIL or UNEXPECTED-PASS.
Exit status: 0 when every MUST holds (minus expected failures), 1 otherwise, 2 on a usage error or an
unreachable target.

Options:
${lines.join('\n')}`;
}

function convert(spec: OptionSpec<unknown>, raw: string | boolean | (string | boolean)[] | undefined): unknown {
  if (raw === undefined) return spec.default;
  switch (spec.kind) {
    case 'boolean':
      return raw;
    case 'string':
      return raw;
    case 'repeated':
      return raw;
    case 'list':
      return (raw as string[]).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
    case 'integer': {
      const text = raw as string;
      if (!/^-?\d+$/.test(text)) throw new UsageError(`--${spec.flag} needs an integer, got "${text}"`);
      return Number(text);
    }
  }
}

/** Parses the arguments after `run`; every mistake is a UsageError that names the option. */
export function parseRunOptions(args: readonly string[]): RunOptions {
  const config = Object.fromEntries(
    Object.values(RUN_OPTIONS).map((spec) => [spec.flag, { type: spec.kind === 'boolean' ? ('boolean' as const) : ('string' as const), multiple: spec.kind === 'list' || spec.kind === 'repeated' }]),
  );
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...args], options: config, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see mana-conformance run --help`);
  }
  const options = Object.fromEntries(
    (Object.entries(RUN_OPTIONS) as [keyof RunOptions, OptionSpec<unknown>][]).map(([key, spec]) => [key, convert(spec, values[spec.flag])]),
  ) as unknown as RunOptions;
  if (options.timeout <= 0) throw new UsageError('--timeout must be at least 1 second');
  if (options.concurrency <= 0) throw new UsageError('--concurrency must be at least 1');
  if (options.runs !== undefined && options.runs <= 0) throw new UsageError('--runs must be at least 1');
  if (options.replay !== undefined) {
    if (parseReplay(options.replay) === undefined) throw new UsageError(`--replay needs the path a property failure printed, such as 3:0:1@AB:C, got "${options.replay}"`);
    if (options.seed === undefined) throw new UsageError('--replay needs the --seed of the run that printed it');
  }
  if (options.authPort !== undefined && (options.authPort < 0 || options.authPort > 65535)) throw new UsageError('--auth-port must be a port number (0-65535)');
  if (options.image !== undefined && options.target !== undefined) throw new UsageError('--image and --target name two targets; give one');
  if (options.image === undefined) {
    const imageOnly = [options.withPostgres && '--with-postgres', options.imageEnv.length > 0 && '--image-env', values['image-port'] !== undefined && '--image-port'].filter(Boolean);
    if (imageOnly.length > 0) throw new UsageError(`${imageOnly.join(', ')} ${imageOnly.length === 1 ? 'needs' : 'need'} --image`);
  } else {
    if (options.image.trim() === '') throw new UsageError('--image needs an image name such as ghcr.io/you/server:1.2');
    if (options.imagePort < 1 || options.imagePort > 65535) throw new UsageError('--image-port must be a port number (1-65535)');
    parseImageEnv(options.imageEnv);
  }
  if (options.target !== undefined) {
    let url: URL;
    try {
      url = new URL(options.target);
    } catch {
      throw new UsageError(`--target must be a URL such as http://localhost:3050, got "${options.target}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--target must be an http(s) URL, got "${options.target}"`);
  }
  return options;
}

/** The search the model-based property checks make under these options. */
export function propertyBudgetOf(options: Pick<RunOptions, 'runs' | 'deep' | 'replay'>): PropertyBudget {
  const base = options.deep ? DEEP_BUDGET : DEFAULT_BUDGET;
  const replay = options.replay === undefined ? undefined : parseReplay(options.replay);
  return { ...base, ...(options.runs === undefined ? {} : { runs: options.runs }), ...(replay === undefined ? {} : { replay }) };
}
