import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { SchemaTypes } from '../generated/types.js';
import { readSchemaFiles, type SchemaFile } from './schema-files.js';
import { SCHEMAS_DIR } from './spec-paths.js';

/** Validators for every wire message: the one source the server, the client and the suite validate with. */
export interface SchemaRegistry {
  /** Schema names (file names without `.schema.json`), sorted. */
  readonly names: readonly string[];
  readonly ajv: Ajv2020;
  /** The compiled validator of a schema; throws on a name that is not a schema. */
  validatorFor<T = unknown>(name: string): ValidateFunction<T>;
}

/**
 * One Ajv (draft 2020-12, strict) holding every schema by `$id`, so cross-file `$ref`s resolve.
 * Every schema is compiled up front: a schema that strict mode rejects fails at start-up, not at the
 * first message. Union types (`"type": ["string", "null"]`) are ordinary JSON Schema, so allowed.
 */
export function createSchemaRegistry(files: readonly SchemaFile[]): SchemaRegistry {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv);
  for (const { schema } of files) ajv.addSchema(schema);
  const validators = new Map<string, ValidateFunction>();
  for (const { name, schema } of files) {
    const validate = ajv.getSchema(schema.$id);
    if (validate === undefined) throw new Error(`schema ${name} was added but cannot be found by its $id ${schema.$id}`);
    validators.set(name, validate);
  }
  const names = files.map((file) => file.name);
  return {
    names,
    ajv,
    validatorFor<T = unknown>(name: string): ValidateFunction<T> {
      const validate = validators.get(name);
      if (validate === undefined) {
        throw new Error(`unknown schema "${name}"; the schemas are: ${names.join(', ')}`);
      }
      return validate as ValidateFunction<T>;
    },
  };
}

export function loadSchemaRegistry(dir: string = SCHEMAS_DIR): SchemaRegistry {
  return createSchemaRegistry(readSchemaFiles(dir));
}

let registry: SchemaRegistry | undefined;

/** The registry of spec/schemas/, built on first use. */
export function schemaRegistry(): SchemaRegistry {
  registry ??= loadSchemaRegistry();
  return registry;
}

/** A schema of spec/schemas/, named by its file name without `.schema.json`. */
export type SchemaName = keyof SchemaTypes;

/** The names of the schemas in spec/schemas/. */
export function schemaNames(): readonly SchemaName[] {
  return schemaRegistry().names as readonly SchemaName[];
}

/** The validator of a schema of spec/schemas/, a type guard for its generated message type. */
export function validatorFor<N extends SchemaName>(name: N): ValidateFunction<SchemaTypes[N]> {
  return schemaRegistry().validatorFor<SchemaTypes[N]>(name);
}

/** Ajv's errors as one line each ("/changes/0/op must be equal to one of the allowed values"). */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? error.keyword}`);
}
