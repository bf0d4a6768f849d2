// Hostile `.mana` archives (issue: backup hostility), built with Node's zlib and crypto and the
// hand-written ZIP writer, never with the reader or writer under test: zip bombs (high-ratio,
// nested, many entries), unsafe and duplicate names, swapped manifests, sealed archives whose inner
// ZIP is hostile. Readers must refuse each with the right code (BACKUP-2, BACKUP-11, BACKUP-13).
import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { BACKUP_KEY_CHECK_BYTES, BACKUP_KEY_CHECK_LABEL } from '../../../spec/generated/constants.js';
import { handZip, type HandZipEntry } from './hand-zip.js';

export const HOSTILE_MANIFEST = {
  formatVersion: 2,
  schemaVersion: 3,
  producedBy: 'hostile archive',
  exportedAt: '2026-03-01T09:30:00.000Z',
  userId: 'u-mallory',
  scope: { type: 'full' },
  rowCounts: { tasks: 2 },
  fieldsPlaintext: true,
} as const;
export const TWO_TASKS = '{"id":"task-1","title":"a"}\n{"id":"task-2","title":"b"}\n';

/** A deflated entry that inflates to `bytes` zeros from about bytes/1030 bytes: deflate's best ratio, above the spec's 1000. */
export function zeroBomb(name: string, bytes: number, declaredSize = bytes): HandZipEntry {
  const zeros = new Uint8Array(bytes);
  return { name, data: deflateRawSync(zeros, { level: 9 }), predeflated: { size: declaredSize, crc32: crc32(zeros) } };
}

/** An unsealed archive: the hostile manifest (with `manifest` merged in) and these entries. */
export function unsealedHostile(entries: readonly HandZipEntry[], manifest: Readonly<Record<string, unknown>> = {}): Uint8Array<ArrayBuffer> {
  return handZip([{ name: 'manifest.json', data: JSON.stringify({ ...HOSTILE_MANIFEST, ...manifest }) }, ...entries]);
}

export interface SealOptions {
  readonly passphrase: string;
  readonly iterations: number;
  /** Puts the authenticated copy of the manifest into the inner ZIP (BACKUP-11); true by default. */
  readonly innerManifest?: boolean;
}

/**
 * A sealed archive as BACKUP-6 to BACKUP-11 describe it, around an inner ZIP of `innerEntries` that
 * may be hostile: PBKDF2-SHA256, AES-256-GCM, key check, plaintextSha256 and inner manifest all right.
 */
export function sealedHostile(innerEntries: readonly HandZipEntry[], seal: SealOptions, manifest: Readonly<Record<string, unknown>> = {}): Uint8Array<ArrayBuffer> {
  const plain = { ...HOSTILE_MANIFEST, ...manifest };
  return sealInnerZip(handZip([...(seal.innerManifest === false ? [] : [{ name: 'manifest.json', data: JSON.stringify(plain) }]), ...innerEntries]), seal, plain);
}

/** A sealed archive around these inner ZIP bytes, whatever they are (a truncated ZIP, say), with this outer manifest. */
export function sealInnerZip(innerZip: Uint8Array, seal: SealOptions, plain: Readonly<Record<string, unknown>> = HOSTILE_MANIFEST): Uint8Array<ArrayBuffer> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = pbkdf2Sync(Buffer.from(seal.passphrase, 'utf8'), salt, seal.iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(innerZip), cipher.final(), cipher.getAuthTag()]);
  const passphrase = {
    kdf: 'PBKDF2-SHA256',
    kdfIterations: seal.iterations,
    kdfSaltBase64: salt.toString('base64url'),
    cipher: 'AES-GCM-256',
    ivBase64: iv.toString('base64url'),
    plaintextSha256: createHash('sha256').update(innerZip).digest('hex'),
    keyCheck: createHmac('sha256', key).update(BACKUP_KEY_CHECK_LABEL, 'utf8').digest().subarray(0, BACKUP_KEY_CHECK_BYTES).toString('base64url'),
  };
  return handZip([
    { name: 'manifest.json', data: JSON.stringify({ ...plain, passphrase }) },
    { name: 'data.sealed', data: sealed, method: 'stored' },
  ]);
}

/** A ZIP nested in an ordinary entry: readers never unpack it, so its bombs must stay uninflated. */
export function nestedZipEntry(name: string, innerEntries: readonly HandZipEntry[]): HandZipEntry {
  return { name, data: handZip(innerEntries), method: 'stored' };
}

/** `count` tiny entries besides the manifest: more than BACKUP_MAX_ENTRIES when count is large. */
export function manyEntries(count: number): HandZipEntry[] {
  return Array.from({ length: count }, (_, index) => ({ name: `extra/${index}.txt`, data: 'x', method: 'stored' as const }));
}

function manifestOf(archive: Uint8Array): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(unzipSync(archive)['manifest.json'])) as Record<string, unknown>;
}

/**
 * `target` with the manifest of `donor`, CRCs right, as someone who swapped files between two
 * archives would leave it. `keepPassphrase` keeps the target's own passphrase block, so the seal
 * opens and only the authenticated inner manifest (BACKUP-11) can tell.
 */
export function swapManifest(target: Uint8Array, donor: Uint8Array, keepPassphrase = false): Uint8Array<ArrayBuffer> {
  const files = unzipSync(target);
  const manifest = manifestOf(donor);
  if (keepPassphrase) manifest.passphrase = manifestOf(target).passphrase;
  files['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifest));
  return handZip(Object.entries(files).map(([name, data]) => ({ name, data, method: name === 'data.sealed' ? 'stored' : 'deflated' })));
}

/** Two central records pointing at one local header: entries that share bytes, as overlap bombs do. */
export function overlappingEntries(): Uint8Array<ArrayBuffer> {
  const zip = unsealedHostile([{ name: 'data/tasks.jsonl', data: TWO_TASKS }, { name: 'data/lists.jsonl', data: '{"id":"l"}\n' }], { rowCounts: { tasks: 2, lists: 1 } });
  const view = new DataView(zip.buffer);
  const end = zip.length - 22;
  let at = view.getUint32(end + 16, true);
  const offsets: number[] = [];
  for (let index = 0; index < view.getUint16(end + 10, true); index += 1) {
    offsets.push(at);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  // The lists record now points at the tasks entry's local header.
  view.setUint32(offsets[2]! + 42, view.getUint32(offsets[1]! + 42, true), true);
  return zip;
}
