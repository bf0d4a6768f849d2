import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderGeneratedFiles } from './generated-files.js';
import { indexProtocol } from './protocol-index.js';
import { AREAS } from './requirement-index.js';
import { checkSchemaExamples } from './schema-examples.js';
import { loadSchemaRegistry } from './schema-registry.js';
import { SpecFormatError } from './spec-format-error.js';
import { EXAMPLES_DIR, GENERATED_DIR, PROTOCOL_FILE } from './spec-paths.js';

// `npm run spec:check`: the spec's own consistency in one command, for people editing the
// protocol — the index parses, every schema compiles and its examples behave, and spec/generated/
// matches what `npm run generate` would write. Exit 1 on any problem.
const problems: string[] = [];

let protocol;
try {
  protocol = indexProtocol(readFileSync(PROTOCOL_FILE, 'utf8'));
} catch (error) {
  if (!(error instanceof SpecFormatError)) throw error;
  console.error(`spec: ${error.message}`);
  process.exit(1);
}
const registry = loadSchemaRegistry();
const examples = checkSchemaExamples(registry, EXAMPLES_DIR);
problems.push(...examples.problems);
for (const outcome of examples.outcomes.filter((o) => !o.ok)) {
  problems.push(`example ${outcome.file} should be ${outcome.expected}: ${outcome.errors.join('; ') || 'it was not rejected'}`);
}
for (const [name, content] of await renderGeneratedFiles()) {
  let onDisk: string | null = null;
  try {
    onDisk = readFileSync(join(GENERATED_DIR, name), 'utf8');
  } catch {
    // A missing file is reported below like a stale one.
  }
  if (onDisk !== content) problems.push(`spec/generated/${name} is stale: run npm run generate`);
}

console.log('requirements by area (MUST / SHOULD / MAY):');
for (const area of AREAS) {
  const inArea = protocol.requirements.filter((r) => r.area === area);
  const count = (level: string) => inArea.filter((r) => r.level === level).length;
  console.log(`  ${area.padEnd(7)} ${String(inArea.length).padStart(3)}  (${count('MUST')} / ${count('SHOULD')} / ${count('MAY')})`);
}
const valid = examples.outcomes.filter((o) => o.expected === 'valid').length;
console.log(
  `${protocol.requirements.length} requirements, ${protocol.errorCodes.length} error codes, ${protocol.constants.length} constants; ` +
    `${registry.names.length} schemas with ${valid} valid and ${examples.outcomes.length - valid} invalid examples`,
);
for (const problem of problems) console.error(`problem: ${problem}`);
console.log(problems.length === 0 ? 'spec: consistent' : `spec: ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
