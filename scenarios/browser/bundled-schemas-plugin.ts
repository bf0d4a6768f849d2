import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { readSchemaFiles } from '../../spec/src/schema-files.js';

// spec/src/schema-registry.ts reads spec/schemas/ with node:fs on first use. A browser has no file
// system, so the bundle gets the two modules the registry reads through as generated ones: the
// schema files, read at build time by the very function the registry calls in Node, and the paths
// module, whose only value the registry uses is the default folder. The registry's own logic
// (one Ajv, every schema compiled up front) is bundled unchanged: one source of truth.
const SCHEMA_REGISTRY = fileURLToPath(new URL('../../spec/src/schema-registry.ts', import.meta.url));
const NAMESPACE = 'bundled-schemas';

/** Replaces the registry's file-reading imports with modules holding spec/schemas/ as data. */
export function bundledSchemasPlugin(): Plugin {
  return {
    name: NAMESPACE,
    setup(build) {
      // Only the registry's own imports: any other route to node:fs still fails the browser build.
      build.onResolve({ filter: /^\.\/(schema-files|spec-paths)\.js$/ }, (args) =>
        args.importer === SCHEMA_REGISTRY ? { path: args.path, namespace: NAMESPACE } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        if (args.path === './spec-paths.js') return { contents: `export const SCHEMAS_DIR = 'spec/schemas';`, loader: 'js' };
        const files = JSON.stringify(readSchemaFiles());
        return { contents: `const FILES = ${files};\nexport function readSchemaFiles() { return FILES; }`, loader: 'js' };
      });
    },
  };
}
