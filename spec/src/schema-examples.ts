import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeSchemaErrors, type SchemaRegistry } from './schema-registry.js';

export type ExampleExpectation = 'valid' | 'invalid';

/** One example file run through its schema. */
export interface ExampleOutcome {
  schema: string;
  /** Relative to the examples folder, e.g. "push-response/invalid/missing-cursor.json". */
  file: string;
  expected: ExampleExpectation;
  /** The example did what its folder says: a valid one validated, an invalid one was rejected. */
  ok: boolean;
  /** Ajv's errors (for an invalid example: why it was rejected), or why the file could not be read. */
  errors: string[];
}

export interface ExampleReport {
  outcomes: ExampleOutcome[];
  /** Schemas without valid or invalid examples, and example folders that name no schema. */
  problems: string[];
}

const EXPECTATIONS: readonly ExampleExpectation[] = ['valid', 'invalid'];

/**
 * Runs `<examplesDir>/<schema>/valid/*.json` and `<schema>/invalid/*.json` through each schema.
 * Every schema needs at least one of each: a schema that accepts everything, or rejects everything,
 * would otherwise pass unnoticed.
 */
export function checkSchemaExamples(registry: SchemaRegistry, examplesDir: string): ExampleReport {
  const outcomes: ExampleOutcome[] = [];
  const problems: string[] = [];
  for (const schema of registry.names) {
    const validate = registry.validatorFor(schema);
    for (const expected of EXPECTATIONS) {
      const dir = join(examplesDir, schema, expected);
      const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.json')).sort() : [];
      if (files.length === 0) problems.push(`schema ${schema} has no ${expected} example (${schema}/${expected}/*.json)`);
      for (const file of files) {
        const relativePath = `${schema}/${expected}/${file}`;
        let data: unknown;
        try {
          data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
        } catch (error) {
          outcomes.push({ schema, file: relativePath, expected, ok: false, errors: [`not valid JSON: ${(error as Error).message}`] });
          continue;
        }
        const valid = validate(data);
        outcomes.push({
          schema,
          file: relativePath,
          expected,
          ok: valid === (expected === 'valid'),
          errors: describeSchemaErrors(validate.errors),
        });
      }
    }
  }
  if (existsSync(examplesDir)) {
    for (const entry of readdirSync(examplesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && !registry.names.includes(entry.name)) {
        problems.push(`example folder ${entry.name}/ names no schema (no ${entry.name}.schema.json)`);
      }
    }
  }
  return { outcomes, problems };
}
