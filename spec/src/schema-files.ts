import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SCHEMAS_DIR } from './spec-paths.js';
import { SpecFormatError } from './spec-format-error.js';

/** Every schema's `$id` is this base plus its file name, so relative `$ref`s resolve to sibling files. */
export const SCHEMA_ID_BASE = 'https://mana-sync.invalid/schemas/v1/';
export const SCHEMA_FILE_SUFFIX = '.schema.json';

export interface SchemaDocument {
  $id: string;
  title: string;
  [keyword: string]: unknown;
}

export interface SchemaFile {
  /** The file name without `.schema.json`, e.g. "push-response": how code names a schema. */
  name: string;
  /** The file name, e.g. "push-response.schema.json": how protocol.md and `$ref`s cite it. */
  file: string;
  schema: SchemaDocument;
}

/**
 * Reads every `*.schema.json` of a folder, sorted by file name so everything derived from them is
 * deterministic. Checks what the generator and the registry rely on: valid JSON, an `$id` derived
 * from the file name, and a `title` (the name of its TypeScript type).
 */
export function readSchemaFiles(dir: string = SCHEMAS_DIR): SchemaFile[] {
  const source = relative(process.cwd(), dir) || dir;
  if (!existsSync(dir)) throw new SpecFormatError('schema folder does not exist', source);
  return readdirSync(dir)
    .filter((file) => file.endsWith(SCHEMA_FILE_SUFFIX))
    .sort()
    .map((file) => {
      const where = join(source, file);
      let schema: unknown;
      try {
        schema = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      } catch (error) {
        throw new SpecFormatError(`not valid JSON: ${(error as Error).message}`, where, undefined, { cause: error });
      }
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
        throw new SpecFormatError('a schema file must hold a JSON object', where);
      }
      const document = schema as Record<string, unknown>;
      if (document.$id !== SCHEMA_ID_BASE + file) {
        throw new SpecFormatError(`"$id" must be "${SCHEMA_ID_BASE}${file}", found ${JSON.stringify(document.$id)}`, where);
      }
      if (typeof document.title !== 'string' || document.title === '') {
        throw new SpecFormatError('"title" must be a non-empty string: it names the generated TypeScript type', where);
      }
      return { name: file.slice(0, -SCHEMA_FILE_SUFFIX.length), file, schema: document as SchemaDocument };
    });
}

/** True when the folder holds at least one schema: before that, the tests that need them skip. */
export function hasSchemaFiles(dir: string = SCHEMAS_DIR): boolean {
  return existsSync(dir) && readdirSync(dir).some((file) => file.endsWith(SCHEMA_FILE_SUFFIX));
}
