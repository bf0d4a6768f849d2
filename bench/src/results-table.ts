import { writeFile } from 'node:fs/promises';
import { isMet, ratioOf, type Figure } from './figure.js';
import { rounded } from './percentiles.js';

/** The one table `npm run bench` prints: figure, value, target, ratio, met, database. */
export function resultsTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => {
    const ratio = ratioOf(figure);
    const met = isMet(figure);
    return [
      figure.name,
      `${rounded(figure.value)} ${figure.unit}`,
      figure.target === undefined ? '-' : `${figure.target.kind === 'at-least' ? '>=' : '<'} ${rounded(figure.target.value)}`,
      ratio === undefined ? '-' : String(rounded(ratio)),
      met === undefined ? 'report' : met ? 'met' : 'NOT met',
      figure.database,
    ];
  });
  const header = ['figure', 'value', 'target', 'ratio', 'met', 'database'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export interface BenchResults {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly quick: boolean;
  readonly node: string;
  readonly figures: Readonly<Record<string, { value: number; unit: string; target?: Figure['target']; ratio?: number; met?: boolean; database: string; note?: string }>>;
  /** The figures that could not be measured, with the reason. */
  readonly failures: Readonly<Record<string, string>>;
  /** The top-level ratio of issue 9. */
  readonly ingest_ratio: number | null;
}

export async function writeResults(path: string, results: Omit<BenchResults, 'figures' | 'ingest_ratio'>, figures: readonly Figure[]): Promise<void> {
  const byName: BenchResults['figures'] = Object.fromEntries(
    figures.map((figure) => {
      const ratio = ratioOf(figure);
      const met = isMet(figure);
      return [
        figure.name,
        {
          value: rounded(figure.value),
          unit: figure.unit,
          ...(figure.target === undefined ? {} : { target: { kind: figure.target.kind, value: rounded(figure.target.value) } }),
          ...(ratio === undefined ? {} : { ratio: rounded(ratio) }),
          ...(met === undefined ? {} : { met }),
          database: figure.database,
          ...(figure.note === undefined ? {} : { note: figure.note }),
        },
      ];
    }),
  );
  const ingestRatio = figures.find((figure) => figure.name === 'ingest_ratio');
  const full: BenchResults = { ...results, figures: byName, ingest_ratio: ingestRatio === undefined ? null : rounded(ingestRatio.value) };
  await writeFile(path, `${JSON.stringify(full, null, 2)}\n`);
}
