import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requirement } from '../../spec/src/requirements.js';
import { PROTOCOL_FILE } from '../../spec/src/spec-paths.js';
import {
  BACKUP_READER_ERRORS,
  BackupCorruptedError,
  BackupError,
  BackupLimitExceededError,
  BackupPassphraseRequiredError,
  BackupTamperedError,
  BackupUnsupportedVersionError,
  BackupWrongPassphraseError,
  BackupWrongPassphraseOrTamperedError,
} from '../src/backup/backup-errors.js';

/** The codes of the reader error table of section 12 of the spec. */
function specReaderCodes(): string[] {
  const markdown = readFileSync(PROTOCOL_FILE, 'utf8');
  const section = markdown.slice(markdown.indexOf('## 12. Backup archives'), markdown.indexOf('#### BACKUP-1 '));
  return [...section.matchAll(/^\| `(BACKUP_[A-Z_]+)` \|/gm)].map((match) => match[1]!);
}

const errors: BackupError[] = [
  new BackupPassphraseRequiredError('x'),
  new BackupWrongPassphraseError('x'),
  new BackupTamperedError('x'),
  new BackupWrongPassphraseOrTamperedError('x'),
  new BackupCorruptedError('x'),
  new BackupUnsupportedVersionError('x'),
  new BackupLimitExceededError('x', { limit: 'maxEntries', inflatedBytes: 0 }),
];

describe('backup reader errors', () => {
  it('BACKUP-12 the reader codes are exactly the spec table, each with its own class', () => {
    const codes = specReaderCodes();
    expect(codes).toHaveLength(7);
    expect(Object.keys(BACKUP_READER_ERRORS).sort()).toEqual([...codes].sort());
    expect(errors.map((error) => error.code).sort()).toEqual([...codes].sort());
    expect(new Set(errors.map((error) => error.constructor)).size).toBe(codes.length);
    expect(new Set(errors.map((error) => error.name)).size).toBe(codes.length);
    for (const error of errors) {
      expect(error).toBeInstanceOf(BackupError);
      expect(error).toBeInstanceOf(Error);
    }
  });

  it('BACKUP-12 every code cites a requirement of the spec', () => {
    for (const { requirement: id } of Object.values(BACKUP_READER_ERRORS)) expect(requirement(id).area).toBe('BACKUP');
    expect(new BackupCorruptedError('x', { requirement: 'BACKUP-4' }).requirement).toBe('BACKUP-4');
  });
});
