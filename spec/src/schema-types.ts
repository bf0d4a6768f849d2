import { basename } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import type { SchemaFile } from './schema-files.js';

/** The generated interface that maps each schema name to its message type. */
export const SCHEMA_TYPES_NAME = 'SchemaTypes';

/** Keywords that only document a schema; beside a `$ref` they change no type. */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);

/**
 * Compiles every schema into one TypeScript module, each type declared once under its `title`.
 * All schemas hang off one root object whose properties `$ref` the files, so a schema that several
 * others reference (an instant, a cursor) is resolved once; the root becomes `SchemaTypes`
 * (schema name → type), which typed validators can index. Files are served from memory.
 */
export async function renderSchemaTypes(files: readonly SchemaFile[], schemasDir: string, banner: string): Promise<string> {
  const clash = files.find((file) => file.schema.title === SCHEMA_TYPES_NAME);
  if (clash !== undefined) throw new Error(`${clash.file}: the title "${SCHEMA_TYPES_NAME}" is reserved for the generated index type`);
  const served = new Map(files.map((file) => [file.file, JSON.stringify(withoutRefAnnotations(file.schema))]));
  const root = {
    title: SCHEMA_TYPES_NAME,
    description: 'Each schema of spec/schemas/ by name (its file name without `.schema.json`), and the type of the messages it validates.',
    type: 'object' as const,
    additionalProperties: false,
    required: files.map((file) => file.name),
    properties: Object.fromEntries(files.map((file) => [file.name, { $ref: file.file }])),
  };
  const types = await compile(root, SCHEMA_TYPES_NAME, {
    cwd: schemasDir,
    bannerComment: banner,
    declareExternallyReferenced: true,
    // Receivers ignore unknown members (forward compatibility), so objects keep their index signature.
    additionalProperties: true,
    unknownAny: true,
    format: true,
    $refOptions: {
      resolve: {
        // Only the schema files themselves: nothing is fetched, nothing else on disk is read.
        http: false,
        file: false,
        schemas: {
          order: 1,
          canRead: /\.schema\.json$/,
          read: ({ url }: { url: string }) => {
            const text = served.get(basename(url));
            if (text === undefined) throw new Error(`$ref to ${url}: no such file in spec/schemas/`);
            return text;
          },
        },
      },
    },
  });
  const declared = new Set([...types.matchAll(/^export (?:type|interface) (\w+)/gm)].map((match) => match[1]));
  const copies = [...declared].filter((name) => /\d$/.test(name ?? '') && declared.has(name?.replace(/\d+$/, '')));
  if (copies.length > 0) {
    throw new Error(
      `types.ts would declare a type more than once (${copies.join(', ')}): two schemas share a title, or a $ref has constraining keywords beside it`,
    );
  }
  return types;
}

/**
 * A `$ref` with a `description` beside it (valid in draft 2020-12) would make the generator copy the
 * referenced schema and declare it again as `Instant1`, `Instant2`…; without the annotation every
 * use points at the one declaration. The annotations stay in the schemas, where Ajv and readers see them.
 */
function withoutRefAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRefAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  const hasRef = '$ref' in value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !(hasRef && ANNOTATIONS.has(key)))
      .map(([key, child]) => [key, withoutRefAnnotations(child)]),
  );
}
