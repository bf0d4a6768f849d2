// Progress of an export or an import, for a progress bar: each stage reports `done` of `total`
// units, starting at 0, so that a slow stage (the key derivation) is visible when it starts.

export type BackupStage =
  /** Export: reading and decrypting the rows of one table (units: tables). */
  | 'collect'
  /** Export: writing the ZIP (one unit). */
  | 'compress'
  /** Export: deriving the key and sealing (one unit). */
  | 'seal'
  /** Import: reading and verifying entries (units: entries of the ZIP being read). */
  | 'verify'
  /** Import: deriving the key and unsealing (one unit). */
  | 'unseal'
  /** Import: re-encrypting rows under the importing key (units: rows). */
  | 'encrypt'
  /** Import: writing into the local store (one unit). */
  | 'write';

export interface BackupProgress {
  readonly stage: BackupStage;
  readonly done: number;
  readonly total: number;
  /** The table a `collect` step worked on. */
  readonly table?: string;
}

export type BackupProgressListener = (progress: BackupProgress) => void;

/** Reports a one-unit stage when it starts and when it ends. */
export async function step<T>(onProgress: BackupProgressListener | undefined, stage: BackupStage, work: () => Promise<T>): Promise<T> {
  onProgress?.({ stage, done: 0, total: 1 });
  const result = await work();
  onProgress?.({ stage, done: 1, total: 1 });
  return result;
}
