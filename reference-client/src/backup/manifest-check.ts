// The manifest rules a reader applies (BACKUP-3, BACKUP-11, BACKUP-14), in the order that gives the
// most specific code: a manifest of another format version is unsupported, not malformed.
import { BACKUP_FORMAT_VERSION, BACKUP_SCHEMA_WINDOW } from '../../../spec/generated/constants.js';
import type { BackupManifest } from '../../../spec/generated/types.js';
import { describeSchemaErrors, validatorFor } from '../../../spec/src/schema-registry.js';
import { canonicalJson } from '../../../spec/src/stamp-order.js';
import { BackupCorruptedError, BackupTamperedError, BackupUnsupportedVersionError } from './backup-errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function manifestJson(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch (error) {
    throw new BackupCorruptedError(`${where}: manifest.json is not UTF-8 JSON`, { requirement: 'BACKUP-3', cause: error });
  }
}

/** The manifest of `manifest.json`'s bytes, valid against backup-manifest.schema.json (BACKUP-3). */
export function parseManifest(bytes: Uint8Array, where: string): BackupManifest {
  const manifest = manifestJson(bytes, where);
  const formatVersion = (manifest as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof manifest === 'object' && manifest !== null && !Array.isArray(manifest) && formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupUnsupportedVersionError(`${where}: formatVersion ${JSON.stringify(formatVersion)}, this reader reads ${BACKUP_FORMAT_VERSION}`, {
      requirement: 'BACKUP-3',
    });
  }
  const validate = validatorFor('backup-manifest');
  if (!validate(manifest)) {
    throw new BackupCorruptedError(`${where}: manifest.json does not match backup-manifest.schema.json: ${describeSchemaErrors(validate.errors).join('; ')}`, {
      requirement: 'BACKUP-3',
    });
  }
  return manifest;
}

/**
 * BACKUP-14: a reader at schema version `current` reads archives from `current - BACKUP_SCHEMA_WINDOW`
 * to `current`, and archives whose version is unknown (0, written by the first web client).
 */
export function checkSchemaWindow(manifest: BackupManifest, current: number): void {
  const version = manifest.schemaVersion;
  if (version === 0) return;
  if (version > current || version < current - BACKUP_SCHEMA_WINDOW) {
    throw new BackupUnsupportedVersionError(
      `schemaVersion ${version}; this reader (schema version ${current}) reads ${Math.max(1, current - BACKUP_SCHEMA_WINDOW)} to ${current} and 0`,
      { requirement: 'BACKUP-14' },
    );
  }
}

/** The manifest a sealing writer puts into the inner ZIP: the outer one without `passphrase` (BACKUP-6). */
export function withoutPassphrase(manifest: BackupManifest): BackupManifest {
  const copy = { ...manifest };
  delete copy.passphrase;
  return copy;
}

/**
 * BACKUP-11: the inner manifest, authenticated by the seal, must equal the outer one without
 * `passphrase` as JSON values; any difference means the outer one was altered.
 */
export function checkInnerManifest(outer: BackupManifest, innerBytes: Uint8Array, where: string): void {
  if (canonicalJson(withoutPassphrase(outer)) !== canonicalJson(manifestJson(innerBytes, where))) {
    throw new BackupTamperedError('the outer manifest differs from the authenticated copy inside the sealed data', { requirement: 'BACKUP-11' });
  }
}
