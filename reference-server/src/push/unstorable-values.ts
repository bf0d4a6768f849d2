import { jsonPointer } from './json-pointer.js';

// U+0000 cannot be stored by PostgreSQL text or jsonb (PUSH-15); a lone surrogate is not Unicode, and
// would be stored as U+FFFD, silently changing a value or a record id. Both are refused alike.
const LONE_SURROGATE = /\p{Surrogate}/u;
const unstorable = (text: string): boolean => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * The path of the first value a portable store cannot hold, in document order: a string (value or
 * member name) holding either, or a number that is not finite (JSON like 1e400 parses to
 * Infinity, which JSON cannot carry back). Iterative, since the depth is already bounded but not small.
 */
export function firstUnstorableValue(root: unknown): string | undefined {
  const stack: Array<{ value: unknown; path: ReadonlyArray<string | number> }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    const name = path.at(-1);
    if (typeof name === 'string' && unstorable(name)) return jsonPointer(path);
    if (typeof value === 'string') {
      if (unstorable(value)) return jsonPointer(path);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return jsonPointer(path);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, member] = entries[i]!;
        stack.push({ value: member, path: [...path, key] });
      }
    }
  }
  return undefined;
}
