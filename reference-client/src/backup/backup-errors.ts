// The errors of `.mana` readers (section 12's table) and of the exporter. Each reader error is its own
// class with a fixed code, so an application can tell a wrong passphrase from a damaged file by
// class or by code, and a test can pin both (BACKUP-12).

/** The reader codes of section 12, each with the requirement that defines it. */
export const BACKUP_READER_ERRORS = {
  BACKUP_PASSPHRASE_REQUIRED: { requirement: 'BACKUP-6', meaning: 'the archive is sealed and no passphrase was given' },
  BACKUP_WRONG_PASSPHRASE: { requirement: 'BACKUP-10', meaning: 'the key check shows the passphrase is wrong' },
  BACKUP_TAMPERED: { requirement: 'BACKUP-10', meaning: 'the passphrase is right but the sealed data or the manifest was altered' },
  BACKUP_WRONG_PASSPHRASE_OR_TAMPERED: {
    requirement: 'BACKUP-10',
    meaning: 'the archive has no key check and failed authentication: a wrong passphrase or altered data',
  },
  BACKUP_CORRUPTED: { requirement: 'BACKUP-5', meaning: 'the archive is damaged or malformed' },
  BACKUP_UNSUPPORTED_VERSION: { requirement: 'BACKUP-3', meaning: 'the archive format or schema version is not supported' },
  BACKUP_LIMIT_EXCEEDED: { requirement: 'BACKUP-13', meaning: 'the archive exceeds a reader limit' },
} as const;

export type BackupReaderErrorCode = keyof typeof BACKUP_READER_ERRORS;

export interface BackupErrorOptions extends ErrorOptions {
  /** The requirement the archive breaks, when more precise than the code's own. */
  readonly requirement?: string;
}

/** A `.mana` archive that cannot be read. Subclasses fix the code. */
export abstract class BackupError extends Error {
  abstract readonly code: BackupReaderErrorCode;
  readonly requirement: string;

  constructor(code: BackupReaderErrorCode, detail: string, options: BackupErrorOptions = {}) {
    super(`${BACKUP_READER_ERRORS[code].meaning}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.requirement = options.requirement ?? BACKUP_READER_ERRORS[code].requirement;
  }
}

/** A class per code, so that a reader's `instanceof` and its code always agree (BACKUP-12). */
function readerErrorClass<C extends BackupReaderErrorCode>(code: C, name: string) {
  return class extends BackupError {
    override readonly name = name;
    readonly code: C = code;

    constructor(detail: string, options?: BackupErrorOptions) {
      super(code, detail, options);
    }
  };
}

export const BackupPassphraseRequiredError = readerErrorClass('BACKUP_PASSPHRASE_REQUIRED', 'BackupPassphraseRequiredError');
export type BackupPassphraseRequiredError = InstanceType<typeof BackupPassphraseRequiredError>;
export const BackupWrongPassphraseError = readerErrorClass('BACKUP_WRONG_PASSPHRASE', 'BackupWrongPassphraseError');
export type BackupWrongPassphraseError = InstanceType<typeof BackupWrongPassphraseError>;
export const BackupTamperedError = readerErrorClass('BACKUP_TAMPERED', 'BackupTamperedError');
export type BackupTamperedError = InstanceType<typeof BackupTamperedError>;
export const BackupWrongPassphraseOrTamperedError = readerErrorClass('BACKUP_WRONG_PASSPHRASE_OR_TAMPERED', 'BackupWrongPassphraseOrTamperedError');
export type BackupWrongPassphraseOrTamperedError = InstanceType<typeof BackupWrongPassphraseOrTamperedError>;
export const BackupCorruptedError = readerErrorClass('BACKUP_CORRUPTED', 'BackupCorruptedError');
export type BackupCorruptedError = InstanceType<typeof BackupCorruptedError>;
export const BackupUnsupportedVersionError = readerErrorClass('BACKUP_UNSUPPORTED_VERSION', 'BackupUnsupportedVersionError');
export type BackupUnsupportedVersionError = InstanceType<typeof BackupUnsupportedVersionError>;

/** Which limit an archive exceeded, and how far the reader had inflated when it stopped. */
export interface LimitExceeded {
  readonly limit: 'maxEntries' | 'maxInflatedBytes' | 'maxManifestBytes' | 'maxCompressionRatio' | 'zip64';
  /** Bytes inflated from the archive (inner ZIP included) when the reader stopped. */
  readonly inflatedBytes: number;
}

export class BackupLimitExceededError extends readerErrorClass('BACKUP_LIMIT_EXCEEDED', 'BackupLimitExceededError') {
  constructor(
    detail: string,
    readonly exceeded: LimitExceeded,
    options?: BackupErrorOptions,
  ) {
    super(detail, options);
  }
}

export function isBackupError(error: unknown, code?: BackupReaderErrorCode): error is BackupError {
  return error instanceof BackupError && (code === undefined || error.code === code);
}

/** An export that cannot be written: invalid options or data the archive format cannot carry. */
export class BackupExportError extends Error {
  override readonly name = 'BackupExportError';
  readonly code = 'BACKUP_EXPORT_INVALID';
}
