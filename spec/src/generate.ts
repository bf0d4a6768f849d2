import { relative } from 'node:path';
import { writeGeneratedFiles } from './generated-files.js';
import { SpecFormatError } from './spec-format-error.js';

// `npm run generate`: spec/protocol.md + spec/schemas/ → spec/generated/.
try {
  for (const path of await writeGeneratedFiles()) console.log(`wrote ${relative(process.cwd(), path)}`);
} catch (error) {
  if (!(error instanceof SpecFormatError)) throw error;
  console.error(`generate: ${error.message}`);
  process.exitCode = 1;
}
