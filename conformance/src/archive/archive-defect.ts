import type { RequirementId } from '../../../spec/src/requirement-index.js';
import type { ArchiveFailure, ReaderCode } from './archive-findings.js';

/** A failure after which the archive cannot be read any further: the check stops and records it. */
export class ArchiveDefect extends Error {
  override readonly name = 'ArchiveDefect';

  constructor(
    readonly requirement: RequirementId,
    readonly failure: ArchiveFailure & { readonly code: ReaderCode },
  ) {
    super(`${requirement}: ${failure.detail}`);
  }
}

export function corrupted(requirement: RequirementId, detail: string, expected?: string, actual?: string): ArchiveDefect {
  return new ArchiveDefect(requirement, { detail, code: 'BACKUP_CORRUPTED', ...(expected === undefined ? {} : { expected }), ...(actual === undefined ? {} : { actual }) });
}

export function limitExceeded(detail: string, expected?: string, actual?: string): ArchiveDefect {
  return new ArchiveDefect('BACKUP-13', { detail, code: 'BACKUP_LIMIT_EXCEEDED', ...(expected === undefined ? {} : { expected }), ...(actual === undefined ? {} : { actual }) });
}
