/** How much searching a property check does: what `--runs`, `--deep` and `--replay` set. */
export interface PropertyBudget {
  /** Runs of the model (command sequences) per property check. */
  runs: number;
  /** Most commands in one run. */
  maxCommands: number;
  /** Failure bound of the search and shrinking of one check (ms); the best counterexample so far is reported. */
  timeLimitMs: number;
  /** Replays one counterexample (fast-check's path and the commands' replayPath) instead of searching. */
  replay?: { path: string; replayPath?: string };
}

/** Keeps the whole default run under a minute on a small machine (measured; see the closing note of issue 7). */
export const DEFAULT_BUDGET: PropertyBudget = { runs: 3, maxCommands: 8, timeLimitMs: 40_000 };

/** `--deep`: a search for when there is time. */
export const DEEP_BUDGET: PropertyBudget = { runs: 100, maxCommands: 25, timeLimitMs: 600_000 };

/** `--replay <path>[@<replayPath>]`, as the failure of a property prints it. */
export function parseReplay(text: string): PropertyBudget['replay'] | undefined {
  const match = /^(\d+(?::\d+)*)(?:@([A-Za-z0-9+/]*:[A-Za-z0-9+/]*))?$/.exec(text);
  if (match === null) return undefined;
  return { path: match[1]!, ...(match[2] === undefined ? {} : { replayPath: match[2] }) };
}

export function formatReplay(path: string, replayPath: string | undefined): string {
  return replayPath === undefined ? path : `${path}@${replayPath}`;
}
