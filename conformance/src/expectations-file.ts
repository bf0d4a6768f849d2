import { readFileSync, writeFileSync } from 'node:fs';
import { isRequirementId } from '../../spec/src/requirement-index.js';
import { UsageError } from './usage-error.js';
import type { RequirementVerdict } from './verdicts.js';

/** A requirement the target is known to break, and why (the OpenID suite's expected failures). */
export interface Expectation {
  reason: string;
  link?: string;
}

/**
 * The expectations file is JSON: `{ "expectedFailures": { "PUSH-6": { "reason": "...", "link": "..." } } }`.
 * JSON only: no YAML parser is a declared dependency of this package.
 */
export interface ExpectationsFile {
  expectedFailures: Record<string, Expectation>;
}

export function parseExpectations(text: string, source: string, knownIds: ReadonlySet<string>): Map<string, Expectation> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not JSON (${(error as Error).message}); write { "expectedFailures": { "<ID>": { "reason": "..." } } }`);
  }
  const entries = (parsed as Partial<ExpectationsFile> | null)?.expectedFailures;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw new UsageError(`${source} has no "expectedFailures" object; write { "expectedFailures": { "<ID>": { "reason": "..." } } }`);
  }
  const expectations = new Map<string, Expectation>();
  for (const [id, entry] of Object.entries(entries)) {
    if (!isRequirementId(id) || !knownIds.has(id)) throw new UsageError(`${source}: "${id}" is not a server requirement of spec/protocol.md`);
    if (typeof entry?.reason !== 'string' || entry.reason.trim() === '') throw new UsageError(`${source}: ${id} needs a "reason"`);
    if (entry.link !== undefined && typeof entry.link !== 'string') throw new UsageError(`${source}: the "link" of ${id} must be a string`);
    expectations.set(id, entry.link === undefined ? { reason: entry.reason } : { reason: entry.reason, link: entry.link });
  }
  return expectations;
}

export function readExpectations(path: string, knownIds: ReadonlySet<string>): Map<string, Expectation> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the expectations file ${path}: ${(error as Error).message}`);
  }
  return parseExpectations(text, path, knownIds);
}

/**
 * The expectations a run implies: every requirement that failed it (kept with its old reason when it
 * had one), none of those that now pass. NON-STRICT ones are listed only in strict runs.
 */
export function expectationsFromRun(verdicts: readonly RequirementVerdict[], strict: boolean): ExpectationsFile {
  const expectedFailures: Record<string, Expectation> = {};
  for (const v of verdicts) {
    const failing = v.verdict === 'FAIL' || v.verdict === 'EXPECTED-FAIL' || (strict && v.verdict === 'NON-STRICT');
    if (!failing) continue;
    const first = v.failures[0];
    expectedFailures[v.id] = v.expectation ?? { reason: first ? `expected ${first.expected}, got ${first.actual}`.slice(0, 300) : 'fails' };
  }
  return { expectedFailures };
}

export function writeExpectations(path: string, file: ExpectationsFile): void {
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
