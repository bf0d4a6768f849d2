/** Where a figure was measured: the database behind the server, or none for client-only figures. */
export type FigureDatabase = 'PostgreSQL' | 'PGlite' | 'none (Dexie on fake-indexeddb)' | 'none (in-memory store)' | 'none (WebCrypto)';

/** How a value compares with its target. */
export type TargetKind = 'at-least' | 'at-most' | 'report';

/** One measured figure: a row of the printed table and an entry of bench-results.json. */
export interface Figure {
  /** Stable key, e.g. `ingest_ratio`. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target of issue 9 / issue 5; absent for figures that are reported without one. */
  readonly target?: { readonly kind: Exclude<TargetKind, 'report'>; readonly value: number };
  readonly database: FigureDatabase;
  /** How it was measured, in a few words (counts, concurrency). */
  readonly note?: string;
}

/** value / target for at-least targets, target / value for at-most ones: above 1 means met. */
export function ratioOf(figure: Figure): number | undefined {
  if (figure.target === undefined) return undefined;
  if (figure.target.kind === 'at-least') return figure.value / figure.target.value;
  return figure.value === 0 ? Infinity : figure.target.value / figure.value;
}

export function isMet(figure: Figure): boolean | undefined {
  const ratio = ratioOf(figure);
  return ratio === undefined ? undefined : ratio >= 1;
}
