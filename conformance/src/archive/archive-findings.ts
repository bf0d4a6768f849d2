// The per-requirement verdicts of `mana-conformance archive` (section 12 of spec/protocol.md) and
// the exit status they add up to. A failure carries the reader error code a conforming reader
// reports for it (section 12's table); writer rules a reader does not enforce carry none.
import { requirementsByArea } from '../../../spec/src/requirements.js';
import type { Level, RequirementId } from '../../../spec/src/requirement-index.js';

/** The reader error codes of section 12 (not wire errors, so not in spec/generated/error-codes.ts). */
export type ReaderCode =
  | 'BACKUP_PASSPHRASE_REQUIRED'
  | 'BACKUP_WRONG_PASSPHRASE'
  | 'BACKUP_TAMPERED'
  | 'BACKUP_WRONG_PASSPHRASE_OR_TAMPERED'
  | 'BACKUP_CORRUPTED'
  | 'BACKUP_UNSUPPORTED_VERSION'
  | 'BACKUP_LIMIT_EXCEEDED';

export type ArchiveVerdict = 'PASS' | 'FAIL' | 'NON-STRICT' | 'NOT CHECKED' | 'NOT APPLICABLE';

export interface ArchiveFailure {
  readonly detail: string;
  readonly expected?: string;
  readonly actual?: string;
  /** What a conforming reader reports; absent for a writer rule readers do not enforce. */
  readonly code?: ReaderCode;
}

export interface RequirementResult {
  readonly id: RequirementId;
  readonly level: Level;
  readonly title: string;
  readonly verdict: ArchiveVerdict;
  /** What was verified, for PASS; why, for NOT CHECKED and NOT APPLICABLE. */
  readonly notes: readonly string[];
  readonly failures: readonly ArchiveFailure[];
}

/** 0 conforms, 1 does not, 3 wrong passphrase, 4 tampered or corrupted (2, a usage error, is the command's). */
export type ArchiveExitCode = 0 | 1 | 3 | 4;

export type ArchiveOutcome = 'conforms' | 'does not conform' | 'wrong passphrase' | 'tampered or corrupted';

export const OUTCOME_EXIT_CODES: Readonly<Record<ArchiveOutcome, ArchiveExitCode>> = {
  conforms: 0,
  'does not conform': 1,
  'wrong passphrase': 3,
  'tampered or corrupted': 4,
};

// An archive without keyCheck that fails authentication is reported as a wrong passphrase (exit 3):
// the spec's BACKUP_WRONG_PASSPHRASE_OR_TAMPERED cannot tell them apart, and the message says both.
const WRONG_PASSPHRASE_CODES: ReadonlySet<ReaderCode> = new Set(['BACKUP_WRONG_PASSPHRASE', 'BACKUP_WRONG_PASSPHRASE_OR_TAMPERED']);
const DAMAGE_CODES: ReadonlySet<ReaderCode> = new Set(['BACKUP_CORRUPTED', 'BACKUP_TAMPERED']);

interface Entry {
  checked: string[];
  failures: ArchiveFailure[];
  unchecked: string[];
  inapplicable: string[];
}

/** Findings collected requirement by requirement while an archive is checked. */
export class ArchiveFindings {
  readonly #entries = new Map<string, Entry>();

  #entry(id: string): Entry {
    let entry = this.#entries.get(id);
    if (entry === undefined) {
      entry = { checked: [], failures: [], unchecked: [], inapplicable: [] };
      this.#entries.set(id, entry);
    }
    return entry;
  }

  pass(id: RequirementId, note: string): void {
    this.#entry(id).checked.push(note);
  }

  fail(id: RequirementId, failure: ArchiveFailure): void {
    this.#entry(id).failures.push(failure);
  }

  notChecked(id: RequirementId, reason: string): void {
    this.#entry(id).unchecked.push(reason);
  }

  notApplicable(id: RequirementId, reason: string): void {
    this.#entry(id).inapplicable.push(reason);
  }

  /**
   * Every BACKUP requirement of the spec, in its order, with its verdict. A requirement nothing was
   * recorded for is NOT CHECKED, for `unreached` when the check stopped early.
   */
  results(unreached = 'no check of this checker covers it'): RequirementResult[] {
    const backup = requirementsByArea().get('BACKUP') ?? [];
    return backup.map(({ id, level, title }) => {
      const entry = this.#entries.get(id) ?? { checked: [], failures: [], unchecked: [unreached], inapplicable: [] };
      const failed = entry.failures.length > 0;
      const verdict: ArchiveVerdict = failed
        ? level === 'MUST'
          ? 'FAIL'
          : 'NON-STRICT'
        : entry.checked.length > 0
          ? 'PASS'
          : entry.unchecked.length > 0
            ? 'NOT CHECKED'
            : entry.inapplicable.length > 0
              ? 'NOT APPLICABLE'
              : 'NOT CHECKED';
      const notes = verdict === 'NOT CHECKED' ? entry.unchecked : verdict === 'NOT APPLICABLE' ? entry.inapplicable : [...entry.checked, ...entry.unchecked.map((reason) => `not checked: ${reason}`)];
      return { id, level, title, verdict, notes, failures: entry.failures };
    });
  }
}

/** What the verdicts add up to: a wrong passphrase before damage, damage before other failures. */
export function outcomeOf(results: readonly RequirementResult[]): ArchiveOutcome {
  const failures = results.flatMap((result) => (result.verdict === 'FAIL' ? result.failures : []));
  const codes = new Set(results.flatMap((result) => result.failures.flatMap((failure) => (failure.code === undefined ? [] : [failure.code]))));
  if ([...codes].some((code) => WRONG_PASSPHRASE_CODES.has(code))) return 'wrong passphrase';
  if ([...codes].some((code) => DAMAGE_CODES.has(code))) return 'tampered or corrupted';
  return failures.length > 0 ? 'does not conform' : 'conforms';
}
