// `mana-conformance archive`: checks one `.mana` file against section 12 of spec/protocol.md and
// gives a verdict per BACKUP requirement. An independent oracle: it reads the ZIP, inflates, derives
// and decrypts with its own code (zip-structure, entry-content, seal-opening), never with the
// reference client's reader, so that a bug there cannot hide here.
import {
  BACKUP_FORMAT_VERSION,
  BACKUP_KDF_ITERATIONS,
  BACKUP_MAX_COMPRESSION_RATIO,
  BACKUP_SCHEMA_WINDOW,
} from '../../../spec/generated/constants.js';
import type { BackupManifest } from '../../../spec/generated/types.js';
import { describeSchemaErrors, validatorFor } from '../../../spec/src/schema-registry.js';
import { canonicalJson } from '../../../spec/src/stamp-order.js';
import { ArchiveDefect, corrupted } from './archive-defect.js';
import { ArchiveFindings, OUTCOME_EXIT_CODES, outcomeOf, type ArchiveExitCode, type ArchiveOutcome, type RequirementResult } from './archive-findings.js';
import { entryContent, InflationBudget } from './entry-content.js';
import { readJsonlRows } from './jsonl-rows.js';
import { base64UrlBytes, openSeal, sha256Hex } from './seal-opening.js';
import { readZipStructure, type ZipEntryRecord } from './zip-structure.js';

export interface ArchiveCheckOptions {
  /** Opens a sealed archive; without it what lies inside `data.sealed` is NOT CHECKED. */
  readonly passphrase?: string;
  /** The file's base name, for BACKUP-20; without it BACKUP-20 is NOT CHECKED. */
  readonly fileName?: string;
  /** The importing client's schema version, from which BACKUP-14's window counts. */
  readonly schemaVersion?: number;
}

export interface ArchiveSummary {
  readonly sealed?: boolean;
  readonly opened?: boolean;
  readonly producedBy?: string;
  readonly exportedAt?: string;
  readonly schemaVersion?: number;
  readonly rowCounts?: Readonly<Record<string, number>>;
  /** BACKUP-11: an inner copy inside the seal matched the outer manifest. */
  readonly manifestAuthenticated?: boolean;
  readonly inflatedBytes: number;
}

export interface ArchiveReport {
  readonly outcome: ArchiveOutcome;
  readonly exitCode: ArchiveExitCode;
  readonly summary: ArchiveSummary;
  readonly requirements: readonly RequirementResult[];
}

const MANIFEST = 'manifest.json';
const README = 'README.md';
const SEALED = 'data.sealed';
const FIRST_WEB_CLIENT = 'mana-web';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The table of a `data/<table>.jsonl` name (BACKUP-2), or undefined for an entry readers ignore. */
function tableOf(name: string): string | undefined {
  const table = /^data\/(.+)\.jsonl$/.exec(name)?.[1];
  return table !== undefined && validatorFor('table-name')(table) ? table : undefined;
}

function manifestValue(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw corrupted('BACKUP-3', `${where}: manifest.json is not UTF-8 JSON`);
  }
}

/** BACKUP-3: the outer manifest, of format 2 and valid against backup-manifest.schema.json. */
function parseManifest(bytes: Uint8Array): BackupManifest {
  const manifest = manifestValue(bytes, 'archive');
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw corrupted('BACKUP-3', 'manifest.json is not a JSON object');
  const formatVersion = (manifest as { formatVersion?: unknown }).formatVersion;
  if (formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new ArchiveDefect('BACKUP-3', {
      detail: 'manifest.json is of another format version',
      code: 'BACKUP_UNSUPPORTED_VERSION',
      expected: String(BACKUP_FORMAT_VERSION),
      actual: JSON.stringify(formatVersion) ?? 'absent',
    });
  }
  const validate = validatorFor('backup-manifest');
  if (!validate(manifest)) {
    const errors = validate.errors ?? [];
    // The iteration bounds are BACKUP-7's reader rule, expressed in the schema.
    const requirement = errors.some((error) => error.instancePath === '/passphrase/kdfIterations') ? 'BACKUP-7' : 'BACKUP-3';
    throw corrupted(requirement, 'manifest.json does not match backup-manifest.schema.json', 'a valid manifest', describeSchemaErrors(errors).join('; '));
  }
  return manifest;
}

function withoutPassphrase(manifest: BackupManifest): Omit<BackupManifest, 'passphrase'> {
  const copy = { ...manifest };
  delete copy.passphrase;
  return copy;
}

/** One ZIP read whole: every entry's content (CRC-32 and size checked); `known` entries are not read twice. */
function readZip(
  zip: Uint8Array,
  where: string,
  budget: InflationBudget,
  findings: ArchiveFindings,
  entries: readonly ZipEntryRecord[] = readZipStructure(zip, where),
  known: ReadonlyMap<string, Uint8Array> = new Map(),
) {
  for (const entry of entries) {
    if (!entry.utf8Flag && /[^\x20-\x7e]/.test(entry.name)) {
      findings.fail('BACKUP-1', { detail: `${where}: entry ${JSON.stringify(entry.name)} has a non-ASCII name without the UTF-8 flag`, expected: 'general purpose flag bit 11 set', actual: 'not set' });
    }
  }
  const contents = new Map(known);
  for (const entry of entries) if (!contents.has(entry.name)) contents.set(entry.name, entryContent(zip, entry, budget, where));
  findings.pass('BACKUP-1', `${where}: a ZIP of ${entries.length} entries, stored or deflated, no ZIP encryption, headers consistent`);
  findings.pass('BACKUP-5', `${where}: CRC-32 and size of all ${entries.length} entries verified`);
  findings.pass('BACKUP-2', `${where}: no duplicate, absolute, "..", backslash or NUL entry names`);
  return { entries, contents };
}

/** BACKUP-19: every listed entry has the listed SHA-256; `where` says which ZIP holds them. */
async function checkChecksums(manifest: BackupManifest, contents: ReadonlyMap<string, Uint8Array>, where: string, findings: ArchiveFindings): Promise<void> {
  const checksums = Object.entries(manifest.checksums ?? {});
  for (const [path, expected] of checksums) {
    const bytes = contents.get(path);
    if (bytes === undefined) {
      findings.fail('BACKUP-19', { detail: `${where}: the manifest lists a checksum of ${path}, which is missing`, code: 'BACKUP_CORRUPTED', expected: `an entry ${path}`, actual: 'none' });
      continue;
    }
    const actual = await sha256Hex(new Uint8Array(bytes));
    if (actual !== expected) findings.fail('BACKUP-19', { detail: `${where}: ${path} does not match its checksum`, code: 'BACKUP_CORRUPTED', expected, actual });
  }
  if (checksums.length > 0) findings.pass('BACKUP-19', `${where}: ${checksums.length} SHA-256 checksums verified`);
  else findings.notApplicable('BACKUP-19', 'the manifest lists no checksums');
}

const isEncryptedValue = (value: unknown) => validatorFor('encrypted-value')(value);

/** BACKUP-4 and BACKUP-15: the rows of every table, held to `rowCounts`, as an export writes them. */
function checkTables(manifest: BackupManifest, contents: ReadonlyMap<string, Uint8Array>, where: string, findings: ArchiveFindings): void {
  const counted = new Set<string>();
  let rowsSeen = 0;
  for (const [name, bytes] of contents) {
    const table = tableOf(name);
    if (table === undefined) continue;
    counted.add(table);
    const reading = readJsonlRows(bytes);
    if ('problem' in reading) {
      findings.fail('BACKUP-4', { detail: `${where}, ${name} ${reading.problem}`, code: 'BACKUP_CORRUPTED' });
      continue;
    }
    // Own members only: a table named like an Object.prototype member ("constructor") is not declared by it.
    const declared = Object.hasOwn(manifest.rowCounts, table) ? manifest.rowCounts[table] : undefined;
    if (declared !== reading.rows.length) {
      findings.fail('BACKUP-4', { detail: `${where}, ${name}: the row count differs from rowCounts.${table}`, code: 'BACKUP_CORRUPTED', expected: String(declared ?? 'absent'), actual: String(reading.rows.length) });
    }
    rowsSeen += reading.rows.length;
    for (const row of reading.rows) {
      if (row.deletedAt !== undefined && row.deletedAt !== null) {
        findings.fail('BACKUP-15', { detail: `${name}: row ${JSON.stringify(row.id)} is deleted (deletedAt ${JSON.stringify(row.deletedAt)}); an export holds rows that are not deleted` });
      }
      const encrypted = Object.keys(row).filter((field) => isEncryptedValue(row[field]));
      if (manifest.fieldsPlaintext && encrypted.length > 0) {
        findings.fail('BACKUP-15', { detail: `${name}: row ${JSON.stringify(row.id)} holds encrypted values (${encrypted.join(', ')}) although fieldsPlaintext is true` });
      }
    }
  }
  for (const [table, declared] of Object.entries(manifest.rowCounts)) {
    if (declared > 0 && !counted.has(table)) {
      findings.fail('BACKUP-4', { detail: `${where}: rowCounts.${table} is ${declared} but data/${table}.jsonl is missing`, code: 'BACKUP_CORRUPTED', expected: `data/${table}.jsonl`, actual: 'no such entry' });
    }
  }
  findings.pass('BACKUP-4', `${where}: ${counted.size} tables, ${rowsSeen} rows, each line a JSON object with an id, counts equal rowCounts`);
  if (!manifest.fieldsPlaintext) findings.fail('BACKUP-15', { detail: 'an export decrypts encrypted fields', expected: 'fieldsPlaintext true', actual: 'false' });
  findings.pass('BACKUP-15', `no deleted rows; ${manifest.fieldsPlaintext ? 'no encrypted values' : 'encrypted values not scanned'}; scope ${manifest.scope.type}`);
}

function ignoredEntries(names: Iterable<string>, handled: (name: string) => boolean): string[] {
  return [...names].filter((name) => !handled(name));
}

/** BACKUP-14: the window counts from the importing client's own schema version. */
function checkSchemaWindow(manifest: BackupManifest, current: number | undefined, findings: ArchiveFindings): void {
  const version = manifest.schemaVersion;
  if (version === 0) return findings.pass('BACKUP-14', 'schemaVersion 0 (unknown): every reader accepts it');
  if (current === undefined) return findings.notChecked('BACKUP-14', `schemaVersion ${version}: the window counts from the importing client's schema version; give --schema-version`);
  const oldest = current - BACKUP_SCHEMA_WINDOW;
  if (version > current || version < oldest) {
    return findings.fail('BACKUP-14', { detail: `schemaVersion ${version} lies outside the window of a reader at ${current}`, code: 'BACKUP_UNSUPPORTED_VERSION', expected: `${Math.max(1, oldest)} to ${current}, or 0`, actual: String(version) });
  }
  findings.pass('BACKUP-14', `schemaVersion ${version} lies in the window of a reader at ${current} (${Math.max(1, oldest)} to ${current})`);
}

/** BACKUP-20 (SHOULD): `mana-<scope>-<YYYY-MM-DD>[.sealed].mana`. */
function checkFileName(manifest: BackupManifest, fileName: string | undefined, findings: ArchiveFindings): void {
  if (fileName === undefined) return findings.notChecked('BACKUP-20', 'no file name given');
  const scope = manifest.scope.type === 'full' ? 'full' : manifest.scope.appIds.join('+');
  const pattern = `mana-${scope}-YYYY-MM-DD${manifest.passphrase === undefined ? '' : '.sealed'}.mana`;
  const match = /^mana-(.+)-(\d{4}-\d{2}-\d{2})(\.sealed)?\.mana$/.exec(fileName);
  if (match === null || match[1] !== scope || (match[3] !== undefined) !== (manifest.passphrase !== undefined)) {
    return findings.fail('BACKUP-20', { detail: 'the file name does not follow the naming rule', expected: pattern, actual: fileName });
  }
  findings.pass('BACKUP-20', `${fileName} follows ${pattern}`);
}

const MANIFEST_MEMBERS = new Set(['formatVersion', 'schemaVersion', 'producedBy', 'exportedAt', 'userId', 'scope', 'rowCounts', 'fieldsPlaintext', 'passphrase', 'checksums']);
const PASSPHRASE_MEMBERS = new Set(['kdf', 'kdfIterations', 'kdfSaltBase64', 'cipher', 'ivBase64', 'plaintextSha256', 'keyCheck']);

/** BACKUP-21: the outer manifest of a sealed archive carries what the schema names and nothing else. */
function checkDisclosure(manifest: BackupManifest, findings: ArchiveFindings): void {
  const extra = [
    ...Object.keys(manifest).filter((member) => !MANIFEST_MEMBERS.has(member)),
    ...Object.keys(manifest.passphrase ?? {}).filter((member) => !PASSPHRASE_MEMBERS.has(member)).map((member) => `passphrase.${member}`),
    ...Object.keys(manifest.scope).filter((member) => member !== 'type' && member !== 'appIds').map((member) => `scope.${member}`),
  ];
  if (extra.length > 0) return findings.notChecked('BACKUP-21', `the manifest has members the schema does not name (${extra.join(', ')}); whether they disclose row data cannot be told`);
  findings.pass('BACKUP-21', 'the outer manifest holds only the members of backup-manifest.schema.json');
}

interface Progress {
  summary: { -readonly [K in keyof ArchiveSummary]: ArchiveSummary[K] };
}

async function inspect(bytes: Uint8Array<ArrayBuffer>, options: ArchiveCheckOptions, findings: ArchiveFindings, progress: Progress): Promise<void> {
  const budget = new InflationBudget();
  const reportBudget = () => {
    progress.summary.inflatedBytes = budget.inflatedBytes;
  };
  const structure = readZipStructure(bytes, 'archive');
  const manifestEntry = structure.find((entry) => entry.name === MANIFEST);
  if (manifestEntry === undefined) throw corrupted('BACKUP-2', 'archive: no manifest.json');
  const manifestBytes = entryContent(bytes, manifestEntry, budget, 'archive', true);
  reportBudget();
  const manifest = parseManifest(manifestBytes);
  findings.pass('BACKUP-3', `manifest.json matches backup-manifest.schema.json, formatVersion ${BACKUP_FORMAT_VERSION}`);
  const sealed = manifest.passphrase !== undefined;
  const firstClient = manifest.producedBy === FIRST_WEB_CLIENT;
  Object.assign(progress.summary, { sealed, producedBy: manifest.producedBy, exportedAt: manifest.exportedAt, schemaVersion: manifest.schemaVersion, rowCounts: manifest.rowCounts });
  const outer = readZip(bytes, 'archive', budget, findings, structure, new Map([[MANIFEST, manifestBytes]]));
  reportBudget();

  checkSchemaWindow(manifest, options.schemaVersion, findings);
  checkFileName(manifest, options.fileName, findings);
  if (firstClient) findings.pass('BACKUP-18', 'produced by the first web client ("mana-web"): read with its allowances (no keyCheck, no inner manifest)');
  else findings.notApplicable('BACKUP-18', `produced by ${JSON.stringify(manifest.producedBy)}, not the first web client`);
  for (const id of ['BACKUP-12', 'BACKUP-16', 'BACKUP-17'] as const) findings.notChecked(id, 'a requirement on what a reader or importer does, which a file cannot show');

  if (!sealed) {
    for (const id of ['BACKUP-6', 'BACKUP-7', 'BACKUP-8', 'BACKUP-9', 'BACKUP-10', 'BACKUP-11', 'BACKUP-21'] as const) findings.notApplicable(id, 'the archive is not sealed');
    const ignored = ignoredEntries(outer.contents.keys(), (name) => name === MANIFEST || name === README || tableOf(name) !== undefined);
    findings.pass('BACKUP-2', `unsealed layout: manifest.json and ${[...outer.contents.keys()].filter((name) => tableOf(name) !== undefined).length} data/<table>.jsonl entries${ignored.length > 0 ? `; entries readers ignore: ${ignored.join(', ')}` : ''}`);
    await checkChecksums(manifest, outer.contents, 'archive', findings);
    const unlisted = [...outer.contents.keys()].filter((name) => tableOf(name) !== undefined && manifest.checksums?.[name] === undefined);
    if (unlisted.length > 0) findings.pass('BACKUP-19', `SHOULD not met: no checksum for ${unlisted.join(', ')}`);
    checkTables(manifest, outer.contents, 'archive', findings);
    findings.pass('BACKUP-13', limitsNote(outer.entries.length, budget));
    return;
  }

  const block = manifest.passphrase!;
  checkDisclosure(manifest, findings);
  const sealedEntry = outer.entries.find((entry) => entry.name === SEALED);
  if (sealedEntry === undefined) throw corrupted('BACKUP-6', 'the manifest has a passphrase block but the archive has no data.sealed');
  if (sealedEntry.method !== 0) findings.fail('BACKUP-6', { detail: 'data.sealed is deflated', expected: 'stored (method 0)', actual: 'deflated (method 8)' });
  const outside = [...outer.contents.keys()].filter((name) => tableOf(name) !== undefined);
  if (outside.length > 0) findings.fail('BACKUP-6', { detail: `row data outside data.sealed: ${outside.join(', ')}`, expected: 'no data/ entries in the outer ZIP', actual: outside.join(', ') });
  const ignoredOuter = ignoredEntries(outer.contents.keys(), (name) => name === MANIFEST || name === README || name === SEALED || tableOf(name) !== undefined);
  if (ignoredOuter.length > 0) findings.pass('BACKUP-2', `entries readers ignore: ${ignoredOuter.join(', ')}`);

  if (block.kdfIterations !== BACKUP_KDF_ITERATIONS) {
    findings.fail('BACKUP-7', { detail: 'a writer uses BACKUP_KDF_ITERATIONS PBKDF2 iterations', expected: String(BACKUP_KDF_ITERATIONS), actual: String(block.kdfIterations) });
  }
  findings.notChecked('BACKUP-7', 'a fresh random salt and IV for every archive: one file cannot show it');
  const padded = (['kdfSaltBase64', 'ivBase64', 'keyCheck'] as const).filter((member) => block[member]?.endsWith('=') === true);
  if (padded.length > 0 && !firstClient) {
    findings.fail('BACKUP-8', { detail: `padded base64url in ${padded.join(', ')}`, expected: 'base64url without padding', actual: padded.map((member) => `${member} ${block[member]}`).join(', ') });
  } else {
    findings.pass('BACKUP-8', padded.length > 0 ? `padding in ${padded.join(', ')}, allowed for the first web client (readers accept it)` : 'kdfSaltBase64, ivBase64 and keyCheck are base64url without padding');
  }
  if (block.keyCheck === undefined && !firstClient) {
    findings.fail('BACKUP-10', { detail: 'a sealing writer writes keyCheck', expected: 'passphrase.keyCheck', actual: 'absent' });
  } else if (block.keyCheck === undefined) {
    findings.pass('BACKUP-10', 'no keyCheck, as the first web client wrote: a wrong passphrase cannot be told from tampering');
  }

  findings.pass('BACKUP-6', 'manifest.json with a passphrase block, and data.sealed');
  findings.pass('BACKUP-7', `${block.kdfIterations} iterations lie within the reader bounds; salt of ${base64UrlBytes(block.kdfSaltBase64).length} bytes`);
  findings.pass('BACKUP-13', `outer ZIP: ${limitsNote(outer.entries.length, budget)}`);
  if (options.passphrase === undefined) {
    const reason = 'the archive is sealed and no passphrase was given (--passphrase-file)';
    for (const id of ['BACKUP-4', 'BACKUP-9', 'BACKUP-10', 'BACKUP-11', 'BACKUP-15', 'BACKUP-19'] as const) findings.notChecked(id, `${reason}: what data.sealed holds is unknown`);
    findings.notChecked('BACKUP-6', `${reason}: the inner ZIP is unknown`);
    findings.notChecked('BACKUP-13', `${reason}: the inner ZIP is not inflated`);
    progress.summary.opened = false;
    return;
  }

  const opening = await openSeal(new Uint8Array(outer.contents.get(SEALED)!), block, options.passphrase);
  if (opening.kind === 'wrong passphrase') {
    throw new ArchiveDefect('BACKUP-10', { detail: 'the key check value does not match this passphrase', code: 'BACKUP_WRONG_PASSPHRASE', expected: block.keyCheck, actual: 'another value' });
  }
  if (opening.kind === 'authentication failed') {
    throw new ArchiveDefect(
      'BACKUP-10',
      opening.keyCheckMatched === true
        ? { detail: 'the passphrase is right (key check matches) but data.sealed does not authenticate: altered data, IV or tag', code: 'BACKUP_TAMPERED' }
        : { detail: 'data.sealed does not authenticate and the archive has no key check: a wrong passphrase or altered data', code: 'BACKUP_WRONG_PASSPHRASE_OR_TAMPERED' },
    );
  }
  progress.summary.opened = true;
  findings.pass('BACKUP-7', `PBKDF2-SHA256 (${block.kdfIterations} iterations) of the passphrase opened data.sealed`);
  findings.pass('BACKUP-10', opening.keyCheckMatched === true ? 'the key check matches and AES-GCM authenticates data.sealed' : 'AES-GCM authenticates data.sealed');

  const innerZip = opening.innerZip;
  const digest = await sha256Hex(innerZip);
  if (digest !== block.plaintextSha256) findings.fail('BACKUP-9', { detail: 'the SHA-256 of the inner ZIP differs from plaintextSha256', code: 'BACKUP_CORRUPTED', expected: block.plaintextSha256, actual: digest });
  else findings.pass('BACKUP-9', 'plaintextSha256 is the SHA-256 of the inner ZIP');

  const inner = readZip(innerZip, 'sealed data', budget, findings);
  reportBudget();
  const innerManifest = inner.contents.get(MANIFEST);
  if (innerManifest === undefined) {
    progress.summary.manifestAuthenticated = false;
    if (firstClient) findings.pass('BACKUP-6', 'no manifest.json in the inner ZIP, as the first web client wrote');
    else findings.fail('BACKUP-6', { detail: 'a writer puts a copy of the manifest into the inner ZIP', expected: 'sealed data holds manifest.json', actual: 'none' });
    findings.pass('BACKUP-11', 'no inner manifest: the outer manifest is unauthenticated (as a reader reports it)');
  } else {
    const authenticated = canonicalJson(manifestValue(innerManifest, 'sealed data')) === canonicalJson(withoutPassphrase(manifest));
    progress.summary.manifestAuthenticated = authenticated;
    if (authenticated) findings.pass('BACKUP-11', 'the inner manifest equals the outer one without passphrase: the manifest is authenticated');
    else findings.fail('BACKUP-11', { detail: 'the outer manifest differs from the authenticated copy inside data.sealed', code: 'BACKUP_TAMPERED', expected: canonicalJson(manifestValue(innerManifest, 'sealed data')), actual: canonicalJson(withoutPassphrase(manifest)) });
  }
  const ignoredInner = ignoredEntries(inner.contents.keys(), (name) => name === MANIFEST || tableOf(name) !== undefined);
  findings.pass('BACKUP-6', `sealed layout: data.sealed stored, the inner ZIP holds ${[...inner.contents.keys()].filter((name) => tableOf(name) !== undefined).length} data entries${ignoredInner.length > 0 ? `; inner entries readers ignore: ${ignoredInner.join(', ')}` : ''}`);
  await checkChecksums(manifest, inner.contents, 'sealed data', findings);
  checkTables(manifest, inner.contents, 'sealed data', findings);
  findings.pass('BACKUP-13', `with the inner ZIP: ${limitsNote(outer.entries.length + inner.entries.length, budget)}`);
}

function limitsNote(entries: number, budget: InflationBudget): string {
  const ratio = budget.highestLargeRatio > 0 ? `, highest ratio of a large entry ${budget.highestLargeRatio.toFixed(1)} (limit ${BACKUP_MAX_COMPRESSION_RATIO})` : '';
  return `${entries} entries, ${budget.inflatedBytes} bytes inflated${ratio}: within the reader limits`;
}

/** The verdicts on one `.mana` file. Never throws for anything the file holds. */
export async function checkArchive(bytes: Uint8Array<ArrayBuffer>, options: ArchiveCheckOptions = {}): Promise<ArchiveReport> {
  const findings = new ArchiveFindings();
  const progress: Progress = { summary: { inflatedBytes: 0 } };
  let stoppedAt: string | undefined;
  try {
    await inspect(bytes, options, findings, progress);
  } catch (error) {
    if (!(error instanceof ArchiveDefect)) throw error;
    findings.fail(error.requirement, error.failure);
    stoppedAt = error.requirement;
  }
  const requirements = findings.results(stoppedAt === undefined ? undefined : `not reached: the check stopped at a failure of ${stoppedAt}`);
  const outcome = outcomeOf(requirements);
  return { outcome, exitCode: OUTCOME_EXIT_CODES[outcome], summary: progress.summary, requirements };
}
