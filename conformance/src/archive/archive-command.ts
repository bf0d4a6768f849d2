// `mana-conformance archive <file> [--passphrase-file F] [--schema-version N] [--json]`: checks a
// `.mana` file and prints a verdict per BACKUP requirement (text, or the report as JSON).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../usage-error.js';
import { checkArchive, type ArchiveReport } from './archive-check.js';

export const ARCHIVE_USAGE = `Usage: mana-conformance archive <file.mana> [--passphrase-file <file>] [--schema-version <n>] [--json]

Checks a .mana backup archive against the BACKUP requirements of spec/protocol.md and prints, per
requirement, PASS, FAIL (expected and actual), NON-STRICT, NOT CHECKED or NOT APPLICABLE (with why).
  --passphrase-file <file>  opens a sealed archive with the passphrase in this file (UTF-8, used as
                            given except for one final line break); without it the sealed contents
                            are NOT CHECKED
  --schema-version <n>      the importing client's schema version, for the window of BACKUP-14
  --json                    print the report as JSON
Exit status: 0 conforms, 1 does not conform, 2 usage error, 3 wrong passphrase, 4 tampered or corrupted.`;

export interface ArchiveCommandOptions {
  readonly file: string;
  readonly passphraseFile?: string;
  readonly schemaVersion?: number;
  readonly json: boolean;
  readonly help: boolean;
}

export function parseArchiveOptions(args: readonly string[]): ArchiveCommandOptions {
  const config = {
    args: [...args],
    options: { 'passphrase-file': { type: 'string' }, 'schema-version': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { file: '', json: false, help: true };
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'archive needs the file to check' : `archive checks one file, got ${positionals.length}`);
  const version = values['schema-version'];
  if (version !== undefined && !/^\d+$/.test(version)) throw new UsageError(`--schema-version needs a non-negative integer, got "${version}"`);
  return {
    file: positionals[0]!,
    json: values.json === true,
    help: false,
    ...(values['passphrase-file'] === undefined ? {} : { passphraseFile: values['passphrase-file'] }),
    ...(version === undefined ? {} : { schemaVersion: Number(version) }),
  };
}

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The passphrase as given (BACKUP-7: no normalization), without the line break an editor or `echo` adds. */
async function readPassphrase(path: string): Promise<string> {
  const text = (await readInput(path, 'the passphrase file')).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new UsageError(`the passphrase file ${path} is empty`);
  return text;
}

function formatText(file: string, report: ArchiveReport): string {
  const { summary } = report;
  const lines = [`mana-conformance archive ${file}`];
  if (summary.producedBy !== undefined) {
    const tables = Object.entries(summary.rowCounts ?? {}).map(([table, rows]) => `${table} ${rows}`).join(', ') || 'none';
    const seal = summary.sealed === true ? (summary.opened === true ? 'sealed, opened' : 'sealed, not opened') : 'unsealed';
    lines.push(`  ${seal}; produced by ${summary.producedBy} at ${summary.exportedAt}, schemaVersion ${summary.schemaVersion}; rows: ${tables}`);
  }
  for (const result of report.requirements) {
    lines.push(`${result.verdict.padEnd(15)}${result.id.padEnd(11)}${result.title}`);
    for (const note of result.notes) lines.push(`${' '.repeat(17)}${note}`);
    for (const failure of result.failures) {
      lines.push(`${' '.repeat(17)}${failure.code === undefined ? '' : `${failure.code}: `}${failure.detail}`);
      if (failure.expected !== undefined) lines.push(`${' '.repeat(19)}expected: ${failure.expected}`);
      if (failure.actual !== undefined) lines.push(`${' '.repeat(19)}actual:   ${failure.actual}`);
    }
  }
  const counts = new Map<string, number>();
  for (const { verdict } of report.requirements) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  lines.push(`${report.outcome} (exit ${report.exitCode}): ${[...counts].map(([verdict, count]) => `${count} ${verdict}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export async function archiveCommand(options: ArchiveCommandOptions, io: { stdout: NodeJS.WritableStream }): Promise<number> {
  if (options.help) {
    io.stdout.write(`${ARCHIVE_USAGE}\n`);
    return 0;
  }
  const bytes = await readInput(options.file, 'the archive');
  const passphrase = options.passphraseFile === undefined ? undefined : await readPassphrase(options.passphraseFile);
  const report = await checkArchive(new Uint8Array(bytes), {
    fileName: basename(options.file),
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(options.schemaVersion === undefined ? {} : { schemaVersion: options.schemaVersion }),
  });
  io.stdout.write(options.json ? `${JSON.stringify({ file: options.file, ...report }, null, 2)}\n` : formatText(options.file, report));
  return report.exitCode;
}
