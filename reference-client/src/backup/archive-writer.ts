// Writes `.mana` version 2 archives (section 12): unsealed (manifest, data/<table>.jsonl, checksums,
// README) or sealed (manifest with passphrase block, data.sealed holding an inner ZIP of the data and
// an authenticated copy of the manifest). fflate writes the ZIPs: deflated entries, correct CRCs.
import { zipSync, type Zippable } from 'fflate';
import {
  BACKUP_FORMAT_VERSION,
  BACKUP_KDF_ITERATIONS,
  BACKUP_MAX_KDF_ITERATIONS,
  BACKUP_MIN_KDF_ITERATIONS,
} from '../../../spec/generated/constants.js';
import type { BackupManifest, BackupRow } from '../../../spec/generated/types.js';
import { describeSchemaErrors, validatorFor } from '../../../spec/src/schema-registry.js';
import { BackupExportError } from './backup-errors.js';
import { step, type BackupProgressListener } from './backup-progress.js';
import { formatJsonl } from './jsonl.js';
import { seal } from './seal.js';
import { sha256Hex } from './sha256-hex.js';

/** What the writer is told; it adds `formatVersion`, `rowCounts`, `checksums` and `passphrase`. */
export type ManifestFields = Pick<BackupManifest, 'schemaVersion' | 'producedBy' | 'exportedAt' | 'userId' | 'scope' | 'fieldsPlaintext'>;

export interface BackupArchiveInput {
  readonly manifest: ManifestFields;
  /** Rows by table; a table without rows gets a row count of 0 and no data entry (BACKUP-2, BACKUP-4). */
  readonly tables: ReadonlyMap<string, readonly BackupRow[]>;
  /** Seals the archive (BACKUP-6) when given. */
  readonly passphrase?: string;
  /** PBKDF2 iterations; BACKUP_KDF_ITERATIONS unless a test needs a faster seal. */
  readonly kdfIterations?: number;
  readonly onProgress?: BackupProgressListener;
}

export interface BackupArchive {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly manifest: BackupManifest;
}

const DEFLATE = { level: 6 } as const;
const STORE = { level: 0 } as const;
const utf8 = new TextEncoder();

function readme(manifest: BackupManifest): string {
  const tables = Object.entries(manifest.rowCounts).map(([table, rows]) => `- ${table}: ${rows} rows`);
  const layout = manifest.passphrase
    ? 'The rows are sealed with a passphrase in data.sealed (AES-GCM-256, key from PBKDF2-SHA256);\n' +
      'manifest.json says how. Import the file in a mana app to open it.'
    : 'Each data/<table>.jsonl holds one JSON object per line, one line per row.';
  return [
    '# mana backup',
    '',
    `Exported ${manifest.exportedAt} by ${manifest.producedBy}. Format: .mana version ${manifest.formatVersion}.`,
    '',
    ...tables,
    '',
    layout,
    '',
  ].join('\n');
}

function invalid(detail: string): BackupExportError {
  return new BackupExportError(`cannot write the archive: ${detail}`);
}

/** A `.mana` archive of the rows, sealed when a passphrase is given. */
export async function writeBackupArchive(input: BackupArchiveInput): Promise<BackupArchive> {
  const { passphrase, kdfIterations = BACKUP_KDF_ITERATIONS, onProgress } = input;
  if (passphrase === '') throw invalid('an empty passphrase seals nothing');
  if (!Number.isInteger(kdfIterations) || kdfIterations < BACKUP_MIN_KDF_ITERATIONS || kdfIterations > BACKUP_MAX_KDF_ITERATIONS) {
    throw invalid(`kdfIterations must lie in ${BACKUP_MIN_KDF_ITERATIONS}..${BACKUP_MAX_KDF_ITERATIONS} (BACKUP-7)`);
  }
  const rowCounts: Record<string, number> = {};
  const data: Record<string, Uint8Array<ArrayBuffer>> = {};
  for (const [table, rows] of input.tables) {
    rowCounts[table] = rows.length;
    if (rows.length > 0) data[`data/${table}.jsonl`] = utf8.encode(formatJsonl(rows));
  }
  const plain: BackupManifest = { ...input.manifest, formatVersion: BACKUP_FORMAT_VERSION, rowCounts };
  const mtime = new Date(plain.exportedAt);

  let manifest: BackupManifest;
  let files: Zippable;
  if (passphrase === undefined) {
    const checksums: Record<string, string> = {};
    for (const [path, bytes] of Object.entries(data)) checksums[path] = await sha256Hex(bytes);
    manifest = { ...plain, checksums };
    files = Object.fromEntries(Object.entries(data).map(([path, bytes]) => [path, [bytes, DEFLATE]]));
  } else {
    // The inner copy is the outer manifest without `passphrase` (BACKUP-11); check it before the slow seal.
    checkManifest(plain);
    const inner: Zippable = { 'manifest.json': [utf8.encode(JSON.stringify(plain)), DEFLATE] };
    for (const [path, bytes] of Object.entries(data)) inner[path] = [bytes, DEFLATE];
    const sealed = await step(onProgress, 'seal', () => seal(zipSync(inner, { mtime }), passphrase, kdfIterations));
    manifest = { ...plain, passphrase: sealed.passphrase };
    // BACKUP-6: the sealed data is stored, never deflated: ciphertext does not compress.
    files = { 'data.sealed': [sealed.sealed, STORE] };
  }
  checkManifest(manifest);
  const bytes = await step(onProgress, 'compress', () =>
    Promise.resolve(
      zipSync(
        {
          'manifest.json': [utf8.encode(JSON.stringify(manifest, null, 2)), DEFLATE],
          'README.md': [utf8.encode(readme(manifest)), DEFLATE],
          ...files,
        },
        { mtime },
      ),
    ),
  );
  return { bytes, manifest };
}

/** A writer never writes a manifest a reader refuses (BACKUP-3). */
function checkManifest(manifest: BackupManifest): void {
  const validate = validatorFor('backup-manifest');
  if (!validate(manifest)) throw invalid(`the manifest breaks backup-manifest.schema.json: ${describeSchemaErrors(validate.errors).join('; ')}`);
}
