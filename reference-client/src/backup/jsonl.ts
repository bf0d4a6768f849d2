// `data/<table>.jsonl` entries (BACKUP-4): one JSON object with an `id` per line, LF-separated, UTF-8.
import type { BackupRow } from '../../../spec/generated/types.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { BackupCorruptedError } from './backup-errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The JSON lines of rows, with a final LF. */
export function formatJsonl(rows: readonly BackupRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/** The rows of a JSONL entry; anything that is not one backup row per line is BACKUP_CORRUPTED. */
export function parseJsonl(bytes: Uint8Array, where: string): BackupRow[] {
  const corrupted = (detail: string, cause?: unknown): BackupCorruptedError =>
    new BackupCorruptedError(`${where}: ${detail}`, { requirement: 'BACKUP-4', cause });
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch (error) {
    throw corrupted('not UTF-8', error);
  }
  const lines = text.split('\n');
  // An optional final LF leaves one empty string after it.
  if (lines.at(-1) === '') lines.pop();
  const isRow = validatorFor('backup-row');
  return lines.map((line, index) => {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw corrupted(`line ${index + 1} is not JSON`, error);
    }
    if (!isRow(row)) throw corrupted(`line ${index + 1} is not a JSON object with a valid id`);
    return row;
  });
}
