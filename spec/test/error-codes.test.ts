import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseErrorCodeTable } from '../src/markdown-tables.js';
import { readSchemaFiles, type SchemaFile } from '../src/schema-files.js';
import { PROTOCOL_FILE, SCHEMAS_DIR } from '../src/spec-paths.js';

/** The statuses the spec allows for an error; null is a code that only travels on WebSocket or SSE. */
const ALLOWED_STATUSES = [400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503, null];

/**
 * The enum of `error.code` in error.schema.json, following `$ref`s inside the file and to sibling
 * files, so the check holds however the schema factors the enum out.
 */
function errorCodeEnum(files: readonly SchemaFile[]): string[] {
  const byFile = new Map(files.map((file) => [file.file, file.schema as unknown]));
  const resolve = (node: unknown, document: string): [unknown, string] => {
    let current = node;
    let file = document;
    while (typeof current === 'object' && current !== null && typeof (current as { $ref?: unknown }).$ref === 'string') {
      const [target = '', pointer = ''] = (current as { $ref: string }).$ref.split('#');
      if (target !== '') file = target;
      current = pointer
        .split('/')
        .filter((part) => part !== '')
        .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], byFile.get(file));
    }
    return [current, file];
  };
  const member = (node: unknown, document: string, name: string): [unknown, string] => {
    const [resolved, file] = resolve(node, document);
    return resolve((resolved as { properties?: Record<string, unknown> } | undefined)?.properties?.[name], file);
  };
  const [error, file] = member(byFile.get('error.schema.json'), 'error.schema.json', 'error');
  const [code] = member(error, file, 'code');
  const values = (code as { enum?: unknown } | undefined)?.enum;
  if (!Array.isArray(values)) throw new Error('error.schema.json: properties.error.properties.code has no enum');
  return values as string[];
}

function drift(tableCodes: readonly string[], enumCodes: readonly string[]): { onlyInTable: string[]; onlyInSchema: string[] } {
  return {
    onlyInTable: tableCodes.filter((code) => !enumCodes.includes(code)),
    onlyInSchema: enumCodes.filter((code) => !tableCodes.includes(code)),
  };
}

describe('error code drift check, on the fixtures', () => {
  const table = parseErrorCodeTable(readFileSync(new URL('fixtures/protocol/protocol.md', import.meta.url), 'utf8')).map((row) => row.code);
  const schemas = readSchemaFiles(fileURLToPath(new URL('fixtures/schema-set/schemas', import.meta.url)));

  it('finds the enum of error.code and no drift when table and schema agree', () => {
    expect(errorCodeEnum(schemas)).toEqual(['REQUEST_INVALID_JSON', 'ROUTE_NOT_FOUND', 'WS_INVALID_MESSAGE']);
    expect(drift(table, errorCodeEnum(schemas))).toEqual({ onlyInTable: [], onlyInSchema: [] });
  });

  it('reports a code missing on either side', () => {
    expect(drift([...table.slice(1), 'RATE_LIMITED'], errorCodeEnum(schemas))).toEqual({
      onlyInTable: ['RATE_LIMITED'],
      onlyInSchema: ['REQUEST_INVALID_JSON'],
    });
  });
});

const sourcesExist = existsSync(PROTOCOL_FILE) && existsSync(join(SCHEMAS_DIR, 'error.schema.json'));
if (!sourcesExist) {
  console.warn('error-codes.test.ts: spec/protocol.md or spec/schemas/error.schema.json does not exist yet: the error code drift checks are SKIPPED');
}

describe.skipIf(!sourcesExist)('error codes of spec/protocol.md and spec/schemas/error.schema.json', () => {
  const rows = (): ReturnType<typeof parseErrorCodeTable> => parseErrorCodeTable(readFileSync(PROTOCOL_FILE, 'utf8'));

  it('ERR the error table and the enum of error.code list the same codes, in both directions', () => {
    expect(drift(rows().map((row) => row.code), errorCodeEnum(readSchemaFiles(SCHEMAS_DIR)))).toEqual({ onlyInTable: [], onlyInSchema: [] });
  });

  it('ERR every status in the error table is one the spec allows (or "-" for stream-only codes)', () => {
    expect(rows().filter((row) => !ALLOWED_STATUSES.includes(row.status)).map((row) => `${row.code}: ${row.status}`)).toEqual([]);
  });
});
