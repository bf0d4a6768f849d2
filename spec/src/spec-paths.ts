import { fileURLToPath } from 'node:url';

/** Where the spec's sources and generated files live, resolved from this file so any cwd works. */
export const PROTOCOL_FILE = fileURLToPath(new URL('../protocol.md', import.meta.url));
export const SCHEMAS_DIR = fileURLToPath(new URL('../schemas', import.meta.url));
export const EXAMPLES_DIR = fileURLToPath(new URL('../examples', import.meta.url));
export const GENERATED_DIR = fileURLToPath(new URL('../generated', import.meta.url));
