import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexProtocol, type ProtocolIndex } from '../src/protocol-index.js';
import { AREAS, REQUIREMENT_ID_PATTERN } from '../src/requirement-index.js';
import { PROTOCOL_FILE } from '../src/spec-paths.js';

const exists = existsSync(PROTOCOL_FILE);
if (!exists) console.warn('protocol.test.ts: spec/protocol.md does not exist yet: the checks of the real spec are SKIPPED');

describe.skipIf(!exists)('spec/protocol.md', () => {
  let parsed: ProtocolIndex | undefined;
  const index = (): ProtocolIndex => (parsed ??= indexProtocol(readFileSync(PROTOCOL_FILE, 'utf8')));

  it('is well-formed: every requirement heading, the error code table and the constants table parse', () => {
    const { requirements, errorCodes, constants } = index();
    expect(requirements.length).toBeGreaterThan(0);
    expect(errorCodes.length).toBeGreaterThan(0);
    expect(constants.length).toBeGreaterThan(0);
  });

  it('has unique, well-formed requirement IDs', () => {
    const ids = index().requirements.map((requirement) => requirement.id);
    expect(ids.filter((id) => !REQUIREMENT_ID_PATTERN.test(id))).toEqual([]);
    expect(ids.filter((id, at) => ids.indexOf(id) !== at)).toEqual([]);
  });

  it('has requirements in every one of the 11 areas', () => {
    const present = new Set(index().requirements.map((requirement) => requirement.area));
    expect(AREAS.filter((area) => !present.has(area))).toEqual([]);
  });

  it('has at least 80 requirements', () => {
    expect(index().requirements.length).toBeGreaterThanOrEqual(80);
  });

  it('gives every requirement a keyword, a level, a subject and a non-empty body (a withdrawn one excepted)', () => {
    const incomplete = index().requirements.filter(
      (requirement) => requirement.level === undefined || requirement.keyword === undefined || (requirement.text === '' && requirement.title !== 'Withdrawn'),
    );
    expect(incomplete.map((requirement) => requirement.id)).toEqual([]);
  });

  it('cites only schema files that exist in spec/schemas/', () => {
    const missing = index().requirements.flatMap((requirement) =>
      requirement.schemas.filter((file) => !existsSync(new URL(`../schemas/${file}`, import.meta.url))).map((file) => `${requirement.id} cites ${file}`),
    );
    expect(missing).toEqual([]);
  });
});
