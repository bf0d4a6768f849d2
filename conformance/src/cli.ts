// Placeholder until issue #6 builds the runner: says so plainly and fails, so that no script
// mistakes it for a passing conformance run.
const NOT_YET =
  'mana-conformance: the conformance runner is not implemented yet (issue #6); it will run the suite against a mana-sync server';

const HELP = `Usage: mana-conformance [options]

Not implemented yet (issue #6). Once it is, mana-conformance will run the mana-sync conformance
suite against a running mana-sync server: every check cites the requirement of spec/protocol.md it
enforces, reports MUST failures and SHOULD deviations, and exits non-zero when a MUST fails.

Until then every invocation, this one included, exits with status 2.`;

if (process.argv.slice(2).some((argument) => argument === '--help' || argument === '-h')) {
  console.log(HELP);
} else {
  console.error(NOT_YET);
}
process.exitCode = 2;
