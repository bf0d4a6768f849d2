// Reads `.mana` version 2 archives (section 12) and every archive of the first web client
// (BACKUP-18), checking everything a reader must before a row is handed out: structure, CRCs and
// sizes, limits, manifest, seal, authenticated manifest, plaintext hash, checksums and row counts.
import type { BackupManifest, BackupRow } from '../../../spec/generated/types.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { BackupCorruptedError, BackupPassphraseRequiredError } from './backup-errors.js';
import { step, type BackupProgressListener } from './backup-progress.js';
import { parseJsonl } from './jsonl.js';
import { checkInnerManifest, checkSchemaWindow, parseManifest } from './manifest-check.js';
import { DEFAULT_BACKUP_LIMITS, InflateBudget, type BackupLimits } from './reader-limits.js';
import { unseal } from './seal.js';
import { sha256Hex } from './sha256-hex.js';
import { listZipEntries, readZipEntry, type ZipEntry } from './zip-reader.js';

export interface ReadBackupOptions {
  /** Opens a sealed archive; without it a sealed archive is BACKUP_PASSPHRASE_REQUIRED. */
  readonly passphrase?: string;
  /** The reader's own database schema version: the window of BACKUP-14 is counted from it. */
  readonly schemaVersion: number;
  /** Lower limits than the spec's, for tests; the spec's limits apply to everything not given. */
  readonly limits?: Partial<BackupLimits>;
  readonly onProgress?: BackupProgressListener;
}

export interface BackupContents {
  readonly manifest: BackupManifest;
  /** Rows by table, in file order. */
  readonly tables: ReadonlyMap<string, readonly BackupRow[]>;
  readonly sealed: boolean;
  /**
   * BACKUP-11: true when the seal authenticated the manifest (an inner copy matched). False for
   * unsealed archives and for sealed archives of the first web client.
   */
  readonly manifestAuthenticated: boolean;
  /** Entries a reader ignores (BACKUP-2), by name; their CRCs were checked all the same. */
  readonly ignoredEntries: readonly string[];
}

const MANIFEST = 'manifest.json';
const README = 'README.md';
const SEALED = 'data.sealed';
const DATA_ENTRY = /^data\/(.+)\.jsonl$/;

/** The table of a `data/<table>.jsonl` entry whose name is a table name (BACKUP-2), else undefined. */
function tableOf(name: string): string | undefined {
  const table = DATA_ENTRY.exec(name)?.[1];
  return table !== undefined && validatorFor('table-name')(table) ? table : undefined;
}

/** Every entry's content, CRC-checked; entries already in `contents` (the manifest) are not read twice. */
function readEntries(
  zip: Uint8Array<ArrayBuffer>,
  entries: readonly ZipEntry[],
  budget: InflateBudget,
  where: string,
  onProgress: BackupProgressListener | undefined,
  contents = new Map<string, Uint8Array<ArrayBuffer>>(),
): Map<string, Uint8Array<ArrayBuffer>> {
  onProgress?.({ stage: 'verify', done: contents.size, total: entries.length });
  for (const entry of entries) {
    if (contents.has(entry.name)) continue;
    contents.set(entry.name, readZipEntry(zip, entry, budget, where));
    onProgress?.({ stage: 'verify', done: contents.size, total: entries.length });
  }
  return contents;
}

/** The rows of every `data/<table>.jsonl`, each table's count checked against `rowCounts` (BACKUP-4). */
function readTables(manifest: BackupManifest, contents: ReadonlyMap<string, Uint8Array>, where: string): Map<string, BackupRow[]> {
  const tables = new Map<string, BackupRow[]>();
  for (const [name, bytes] of contents) {
    const table = tableOf(name);
    if (table === undefined) continue;
    const rows = parseJsonl(bytes, `${where}, ${name}`);
    const declared = manifest.rowCounts[table];
    if (declared !== rows.length) {
      throw new BackupCorruptedError(`${where}, ${name}: ${rows.length} rows, the manifest declares ${declared ?? 'none'}`, { requirement: 'BACKUP-4' });
    }
    tables.set(table, rows);
  }
  for (const [table, declared] of Object.entries(manifest.rowCounts)) {
    if (declared > 0 && !tables.has(table)) {
      throw new BackupCorruptedError(`${where}: the manifest declares ${declared} rows of ${table} but data/${table}.jsonl is missing`, {
        requirement: 'BACKUP-4',
      });
    }
  }
  return tables;
}

/** BACKUP-19: every entry the manifest lists a checksum for must have that SHA-256. */
async function checkChecksums(manifest: BackupManifest, contents: ReadonlyMap<string, Uint8Array<ArrayBuffer>>, where: string): Promise<void> {
  for (const [path, expected] of Object.entries(manifest.checksums ?? {})) {
    const bytes = contents.get(path);
    const problem = bytes === undefined ? 'is missing' : (await sha256Hex(bytes)) !== expected ? 'does not match its checksum' : undefined;
    if (problem !== undefined) throw new BackupCorruptedError(`${where}: ${path} ${problem}`, { requirement: 'BACKUP-19' });
  }
}

/** The contents of a `.mana` archive, or the BackupError that says most precisely why not (BACKUP-12). */
export async function readBackupArchive(archive: Uint8Array<ArrayBuffer>, options: ReadBackupOptions): Promise<BackupContents> {
  const { passphrase, onProgress } = options;
  const budget = new InflateBudget({ ...DEFAULT_BACKUP_LIMITS, ...options.limits });
  const where = 'archive';
  const entries = listZipEntries(archive, budget, where);
  const manifestEntry = entries.find((entry) => entry.name === MANIFEST);
  if (manifestEntry === undefined) throw new BackupCorruptedError(`${where}: no manifest.json`, { requirement: 'BACKUP-2' });
  const manifestCap = { limit: 'maxManifestBytes', bytes: budget.limits.maxManifestBytes } as const;
  const manifestBytes = readZipEntry(archive, manifestEntry, budget, where, manifestCap);
  const manifest = parseManifest(manifestBytes, where);
  checkSchemaWindow(manifest, options.schemaVersion);
  const outer = readEntries(archive, entries, budget, where, onProgress, new Map([[MANIFEST, manifestBytes]]));

  if (manifest.passphrase === undefined) {
    await checkChecksums(manifest, outer, where);
    return {
      manifest,
      tables: readTables(manifest, outer, where),
      sealed: false,
      manifestAuthenticated: false,
      ignoredEntries: [...outer.keys()].filter((name) => name !== MANIFEST && name !== README && tableOf(name) === undefined),
    };
  }

  const sealed = outer.get(SEALED);
  if (sealed === undefined) throw new BackupCorruptedError(`${where}: the manifest has a passphrase block but there is no data.sealed`, { requirement: 'BACKUP-6' });
  if (passphrase === undefined || passphrase === '') throw new BackupPassphraseRequiredError('the archive is sealed');
  const block = manifest.passphrase;
  const innerZip = await step(onProgress, 'unseal', () => unseal(sealed, block, passphrase));
  const innerWhere = 'sealed data';
  const inner = readEntries(innerZip, listZipEntries(innerZip, budget, innerWhere), budget, innerWhere, onProgress);
  const innerManifest = inner.get(MANIFEST);
  // BACKUP-11 before BACKUP-9: an altered outer manifest (its plaintextSha256 included) is tampering.
  if (innerManifest !== undefined) checkInnerManifest(manifest, innerManifest, innerWhere);
  if ((await sha256Hex(innerZip)) !== block.plaintextSha256) {
    throw new BackupCorruptedError(`${innerWhere}: SHA-256 differs from plaintextSha256`, { requirement: 'BACKUP-9' });
  }
  await checkChecksums(manifest, inner, innerWhere);
  return {
    manifest,
    tables: readTables(manifest, inner, innerWhere),
    sealed: true,
    manifestAuthenticated: innerManifest !== undefined,
    ignoredEntries: [
      ...[...outer.keys()].filter((name) => name !== MANIFEST && name !== README && name !== SEALED),
      ...[...inner.keys()].filter((name) => name !== MANIFEST && tableOf(name) === undefined).map((name) => `${SEALED}/${name}`),
    ],
  };
}
