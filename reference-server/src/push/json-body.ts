import { MAX_JSON_DEPTH } from '../../../spec/generated/constants.js';
import { SyncError } from '../errors.js';
import { jsonPointer } from './json-pointer.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A request body as JSON (PUSH-3, PUSH-16): 400 REQUEST_INVALID_JSON for invalid UTF-8 or JSON
 * syntax, 400 REQUEST_INVALID_BODY when it nests deeper than MAX_JSON_DEPTH. The depth is measured
 * on the text before parsing, so a hostile body of millions of brackets is refused in one linear
 * pass instead of being built into objects first.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new SyncError('REQUEST_INVALID_JSON', 'the body is not valid UTF-8');
  }
  const tooDeep = firstTooDeep(text, MAX_JSON_DEPTH);
  if (tooDeep !== undefined) {
    throw new SyncError('REQUEST_INVALID_BODY', `the body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`, {
      details: { path: jsonPointer(tooDeep) },
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SyncError('REQUEST_INVALID_JSON', 'the body is not valid JSON');
  }
}

type Frame = { kind: 'array'; index: number } | { kind: 'object'; key: string | undefined; expectingKey: boolean };

/** The path (member names and indexes) of the first container nested deeper than `maxDepth`, or undefined. */
function firstTooDeep(text: string, maxDepth: number): Array<string | number> | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.expectingKey) top.key = decodeKey(text.slice(start, i + 1));
    } else if (char === '{' || char === '[') {
      if (stack.length === maxDepth) return stack.map((frame) => (frame.kind === 'array' ? frame.index : (frame.key ?? '')));
      stack.push(char === '{' ? { kind: 'object', key: undefined, expectingKey: true } : { kind: 'array', index: 0 });
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ':' || char === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'object') top.expectingKey = char === ',';
      else if (top?.kind === 'array' && char === ',') top.index++;
    }
  }
  return undefined;
}

function decodeKey(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    // The body is malformed here anyway; the pointer only needs to be readable.
    return literal.slice(1, -1);
  }
}
