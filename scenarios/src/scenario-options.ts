import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { UsageError } from '../../conformance/src/usage-error.js';
import { SCENARIOS, scenarioNamed } from './scenario-registry.js';
import type { Scenario } from './scenario.js';
import type { DeploymentUsers } from './scenario-setting.js';

/** What `mana-conformance scenario` was asked to do. */
export type ScenarioRequest =
  | { readonly kind: 'help' }
  | { readonly kind: 'list' }
  | { readonly kind: 'run'; readonly scenario: Scenario; readonly target: string | undefined; readonly users: DeploymentUsers | undefined };

// Options are data, as those of `run` (cli-options.ts): the parser and the help are made from this table.
const OPTIONS = {
  list: { type: 'boolean', help: '--list                  list the scenarios and exit' },
  target: { type: 'string', help: '--target <url>          run against this deployed server instead of the in-process reference server' },
  'token-a': { type: 'string', help: '--token-a <jwt>         with --target: a token of the first user (alice in the printout)' },
  'token-b': { type: 'string', help: '--token-b <jwt>         with --target: a token of a second user (bob)' },
  space: { type: 'string', help: '--space <id>            with --target: a space (organization id) both users are members of' },
  help: { type: 'boolean', help: '--help                  show this help' },
} as const;

export function scenarioHelp(): string {
  const names = SCENARIOS.map((scenario) => `  ${scenario.name.padEnd(20)}${scenario.summary}`).join('\n');
  return `Usage: mana-conformance scenario <name> [--target <url> --token-a <jwt> --token-b <jwt> [--space <id>]]
       mana-conformance scenario --list

Plays a two-user scenario step by step and prints, for every step, what was expected and what
happened, with a hint when a step fails. Without --target it starts the reference server on embedded
PGlite and a built-in auth service that mints the users' tokens and changes their memberships. With
--target it runs against a deployed server with two real users' tokens; a scenario or step that needs
a third user or membership changes is printed as SKIPPED with the reason.
Exit status: 0 when every step passed (or the scenario was skipped, saying why), 1 when a step failed,
2 on a usage error or an unreachable target.

Options:
${Object.values(OPTIONS)
  .map((option) => `  ${option.help}`)
  .join('\n')}

Scenarios:
${names}`;
}

function subjectOf(flag: string, token: string): string {
  let sub: unknown;
  try {
    sub = decodeJwt(token).sub;
  } catch {
    throw new UsageError(`--${flag} is not a JWT`);
  }
  if (typeof sub !== 'string' || sub === '') throw new UsageError(`the token of --${flag} has no sub claim: it names no user`);
  return sub;
}

function targetUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--target must be a URL such as https://sync.example.com, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--target must be an http(s) URL, got "${text}"`);
  return text.replace(/\/+$/, '');
}

/** Parses the arguments after `scenario`; every mistake is a UsageError saying what to fix. */
export function parseScenarioArgs(args: readonly string[]): ScenarioRequest {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see mana-conformance scenario --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.list) return { kind: 'list' };
  if (positionals.length === 0) throw new UsageError('name a scenario: mana-conformance scenario <name> (mana-conformance scenario --list shows them)');
  if (positionals.length > 1) throw new UsageError(`one scenario at a time, got ${positionals.map((name) => `"${name}"`).join(', ')}`);
  const name = positionals[0]!;
  const scenario = scenarioNamed(name);
  if (scenario === undefined) throw new UsageError(`unknown scenario "${name}"; the scenarios are ${SCENARIOS.map((known) => known.name).join(', ')}`);
  const tokenA = values['token-a'];
  const tokenB = values['token-b'];
  if (values.target === undefined) {
    const stray = [tokenA !== undefined && '--token-a', tokenB !== undefined && '--token-b', values.space !== undefined && '--space'].filter(Boolean);
    if (stray.length > 0) throw new UsageError(`${stray.join(', ')} ${stray.length === 1 ? 'needs' : 'need'} --target (without it the built-in auth service makes the users)`);
    return { kind: 'run', scenario, target: undefined, users: undefined };
  }
  const target = targetUrl(values.target);
  if (tokenA === undefined || tokenB === undefined) throw new UsageError('--target needs --token-a and --token-b: tokens of two users of that deployment');
  const alice = { userId: subjectOf('token-a', tokenA), token: tokenA };
  const bob = { userId: subjectOf('token-b', tokenB), token: tokenB };
  if (alice.userId === bob.userId) throw new UsageError(`--token-a and --token-b are both of user "${alice.userId}": the scenarios need two users`);
  return { kind: 'run', scenario, target, users: { alice, bob, space: values.space } };
}
