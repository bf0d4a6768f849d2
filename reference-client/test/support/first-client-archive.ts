// `.mana` archives as the first web client wrote them (BACKUP-18), built from the documented format
// (docs: upstream notes, spec section 12) with Node's crypto and the hand-written ZIP writer, never
// with the reader's or writer's code under test: no keyCheck, no inner manifest, producedBy
// "mana-web", userId "unknown", schemaVersion 0.
import { createCipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { handZip, type HandZipEntry } from './hand-zip.js';

export interface FirstClientArchiveOptions {
  readonly tables: Readonly<Record<string, readonly object[]>>;
  readonly passphrase?: string;
  /** The first web client used 600,000; tests use the reader's minimum to stay fast. */
  readonly kdfIterations?: number;
  /** base64url with "==" on the salt, which BACKUP-8 asks readers to accept. */
  readonly paddedBase64?: boolean;
  readonly method?: HandZipEntry['method'];
  /** Members to replace in the manifest. */
  readonly manifest?: Readonly<Record<string, unknown>>;
}

export function firstClientArchive(options: FirstClientArchiveOptions): Uint8Array<ArrayBuffer> {
  const method = options.method ?? 'deflated';
  // The first client joined lines with "\n" and wrote no final newline.
  const data: HandZipEntry[] = Object.entries(options.tables)
    .filter(([, rows]) => rows.length > 0)
    .map(([table, rows]) => ({ name: `data/${table}.jsonl`, data: rows.map((row) => JSON.stringify(row)).join('\n'), method }));
  const manifest: Record<string, unknown> = {
    formatVersion: 2,
    schemaVersion: 0,
    producedBy: 'mana-web',
    exportedAt: '2024-05-01T12:00:00.000Z',
    userId: 'unknown',
    scope: { type: 'full' },
    rowCounts: Object.fromEntries(Object.entries(options.tables).map(([table, rows]) => [table, rows.length])),
    fieldsPlaintext: true,
    ...options.manifest,
  };
  if (options.passphrase === undefined) {
    return handZip([{ name: 'manifest.json', data: JSON.stringify(manifest, null, 2), method }, ...data]);
  }
  const inner = handZip(data);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const iterations = options.kdfIterations ?? 600_000;
  const cipher = createCipheriv('aes-256-gcm', pbkdf2Sync(Buffer.from(options.passphrase, 'utf8'), salt, iterations, 32, 'sha256'), iv);
  const sealed = Buffer.concat([cipher.update(inner), cipher.final(), cipher.getAuthTag()]);
  manifest.passphrase = {
    kdf: 'PBKDF2-SHA256',
    kdfIterations: iterations,
    kdfSaltBase64: salt.toString('base64url') + (options.paddedBase64 === true ? '==' : ''),
    cipher: 'AES-GCM-256',
    ivBase64: iv.toString('base64url'),
    plaintextSha256: createHash('sha256').update(inner).digest('hex'),
  };
  return handZip([
    { name: 'manifest.json', data: JSON.stringify(manifest, null, 2), method },
    { name: 'data.sealed', data: sealed, method: 'stored' },
  ]);
}
