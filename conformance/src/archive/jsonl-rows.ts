// `data/<table>.jsonl` for the archive checker (BACKUP-4): UTF-8, one backup-row per LF-separated
// line, an optional final LF.
import { validatorFor } from '../../../spec/src/schema-registry.js';

export type JsonlReading = { readonly rows: readonly Record<string, unknown>[] } | { readonly problem: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readJsonlRows(bytes: Uint8Array): JsonlReading {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { problem: 'is not UTF-8' };
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const isRow = validatorFor('backup-row');
  const rows: Record<string, unknown>[] = [];
  for (const [index, line] of lines.entries()) {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return { problem: `line ${index + 1} is not JSON` };
    }
    if (!isRow(row)) return { problem: `line ${index + 1} is not a JSON object with a valid "id"` };
    rows.push(row);
  }
  return { rows };
}
