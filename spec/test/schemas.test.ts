import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSchemaExamples, type ExampleReport } from '../src/schema-examples.js';
import { hasSchemaFiles, readSchemaFiles, SCHEMA_ID_BASE } from '../src/schema-files.js';
import { createSchemaRegistry, loadSchemaRegistry, schemaNames, validatorFor, type SchemaRegistry } from '../src/schema-registry.js';
import { EXAMPLES_DIR, SCHEMAS_DIR } from '../src/spec-paths.js';

const FIXTURE_SCHEMAS = fileURLToPath(new URL('fixtures/schema-set/schemas', import.meta.url));
const FIXTURE_EXAMPLES = fileURLToPath(new URL('fixtures/schema-set/examples', import.meta.url));

const scratch = mkdtempSync(join(tmpdir(), 'mana-schemas-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeJson(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
}

describe('schema registry and example checker, on the fixture schema set', () => {
  const registry = loadSchemaRegistry(FIXTURE_SCHEMAS);

  it('compiles every schema in one strict Ajv 2020 registry, named after its file', () => {
    expect(registry.names).toEqual(['cursor', 'error', 'instant', 'page', 'ws-message']);
  });

  it('resolves relative $refs across files (a page entry with a bad instant is rejected at its path)', () => {
    const validate = registry.validatorFor('page');
    const page = { entries: [{ id: 't1', value: 1, at: 'yesterday' }], syncedUntil: 'c1.1', hasMore: false };
    expect(validate(page)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain('/entries/0/at');
  });

  it('refuses an unknown schema name, listing the known ones', () => {
    expect(() => registry.validatorFor('push-respons')).toThrow(/unknown schema "push-respons"; the schemas are: cursor, error/);
  });

  it('runs every example, and each fixture example does what its folder says', () => {
    const report = checkSchemaExamples(registry, FIXTURE_EXAMPLES);
    expect(report.problems).toEqual([]);
    expect(report.outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
    expect(report.outcomes).toHaveLength(18);
  });

  it('reports a schema without valid or without invalid examples, and a folder that names no schema', () => {
    const examples = join(scratch, 'incomplete');
    writeJson(join(examples, 'cursor', 'valid', 'a.json'), 'c1.1');
    writeJson(join(examples, 'instant', 'invalid', 'a.json'), 'noon');
    writeJson(join(examples, 'curser', 'valid', 'a.json'), 'c1.1');
    const report = checkSchemaExamples(createSchemaRegistry(readSchemaFiles(FIXTURE_SCHEMAS).filter((file) => ['cursor', 'instant'].includes(file.name))), examples);
    expect(report.problems).toEqual([
      'schema cursor has no invalid example (cursor/invalid/*.json)',
      'schema instant has no valid example (instant/valid/*.json)',
      'example folder curser/ names no schema (no curser.schema.json)',
    ]);
  });

  it('reports an invalid example that validates and a valid example that does not, with the reason', () => {
    const examples = join(scratch, 'wrong');
    writeJson(join(examples, 'cursor', 'valid', 'spaces.json'), 'has spaces');
    writeJson(join(examples, 'cursor', 'invalid', 'fine.json'), 'c1.1');
    const report = checkSchemaExamples(createSchemaRegistry(readSchemaFiles(FIXTURE_SCHEMAS).filter((file) => file.name === 'cursor')), examples);
    expect(report.outcomes.map(({ file, ok }) => [file, ok])).toEqual([
      ['cursor/valid/spaces.json', false],
      ['cursor/invalid/fine.json', false],
    ]);
    expect(report.outcomes[0]?.errors).toEqual(['(root) must match pattern "^[\\x21-\\x7E]{1,512}$"']);
  });

  it('refuses a schema file whose $id does not name it, or that has no title', () => {
    const wrongId = join(scratch, 'wrong-id');
    writeJson(join(wrongId, 'cursor.schema.json'), { $id: `${SCHEMA_ID_BASE}cursors.schema.json`, title: 'Cursor', type: 'string' });
    expect(() => readSchemaFiles(wrongId)).toThrow(/cursor\.schema\.json: "\$id" must be "https:\/\/mana-sync\.invalid\/schemas\/v1\/cursor\.schema\.json"/);
    const untitled = join(scratch, 'untitled');
    writeJson(join(untitled, 'cursor.schema.json'), { $id: `${SCHEMA_ID_BASE}cursor.schema.json`, type: 'string' });
    expect(() => readSchemaFiles(untitled)).toThrow(/"title" must be a non-empty string/);
  });

  it('rejects in strict mode a schema with an unknown keyword', () => {
    const dir = join(scratch, 'strict');
    writeJson(join(dir, 'cursor.schema.json'), { $id: `${SCHEMA_ID_BASE}cursor.schema.json`, title: 'Cursor', type: 'string', maxLenght: 3 });
    expect(() => loadSchemaRegistry(dir)).toThrow(/strict mode: unknown keyword: "maxLenght"/);
  });
});

// The real schemas are written alongside the spec; until the folder has a schema there is nothing to check.
const schemasExist = hasSchemaFiles(SCHEMAS_DIR);
if (!schemasExist) console.warn('schemas.test.ts: spec/schemas/ has no *.schema.json yet: the checks of the real schemas and examples are SKIPPED');

let realRegistry: SchemaRegistry | undefined;
let realRegistryError: Error | undefined;
let realReport: ExampleReport = { outcomes: [], problems: [] };
if (schemasExist) {
  try {
    realRegistry = loadSchemaRegistry(SCHEMAS_DIR);
    realReport = checkSchemaExamples(realRegistry, EXAMPLES_DIR);
  } catch (error) {
    realRegistryError = error instanceof Error ? error : new Error(String(error));
  }
}

describe.skipIf(!schemasExist)('spec/schemas/ and spec/examples/', () => {
  it('every schema of spec/schemas/ compiles in one strict Ajv 2020 registry', () => {
    if (realRegistryError !== undefined) throw realRegistryError;
    expect(realRegistry?.names.length).toBeGreaterThan(0);
  });

  it('validatorFor validates with spec/schemas/ and narrows to the generated type', () => {
    const validate = validatorFor('error');
    const body: unknown = { error: { code: 'ROUTE_NOT_FOUND', message: 'no route GET /nope' } };
    expect(validate(body) ? body.error.code : 'rejected').toBe('ROUTE_NOT_FOUND');
    expect(validate({ error: { code: 'TEAPOT', message: 'short and stout' } })).toBe(false);
    expect(schemaNames()).toContain('push-response');
  });

  it('every schema has at least one valid and one invalid example, and every example folder names a schema', () => {
    expect(realReport.problems).toEqual([]);
  });

  it.each(realReport.outcomes.map((outcome) => [outcome.file, outcome] as const))('example %s does what its folder says', (_file, outcome) => {
    expect(outcome.ok, `${outcome.file} should be ${outcome.expected}; Ajv says: ${outcome.errors.join('; ') || 'no errors'}`).toBe(true);
  });
});
