import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderRequirementsJson } from '../src/generated-files.js';
import { AREAS, parseRequirements } from '../src/requirement-index.js';
import { loadRequirementCatalog } from '../src/requirements.js';

const scratch = mkdtempSync(join(tmpdir(), 'mana-requirements-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('requirement catalog (the typed loader of spec/generated/requirements.json)', () => {
  const file = join(scratch, 'requirements.json');
  writeFileSync(file, renderRequirementsJson(parseRequirements(readFileSync(new URL('fixtures/protocol/protocol.md', import.meta.url), 'utf8'))));
  const catalog = loadRequirementCatalog(file);

  it('looks a requirement up by its ID', () => {
    expect(catalog.requirement('PUSH-2')).toMatchObject({ keyword: 'MUST NOT', level: 'MUST', title: 'A push is not applied twice' });
  });

  it('throws on an ID the spec does not define', () => {
    expect(() => catalog.requirement('PUSH-99')).toThrow(/unknown requirement ID "PUSH-99"/);
  });

  it('groups requirements by area, every area present, in the spec order', () => {
    const byArea = catalog.requirementsByArea();
    expect([...byArea.keys()]).toEqual([...AREAS]);
    expect(byArea.get('PULL')?.map((requirement) => requirement.id)).toEqual(['PULL-3', 'PULL-10']);
    expect(byArea.get('SPACE')).toEqual([]);
  });

  it('tells to run npm run generate when the file is missing', () => {
    expect(() => loadRequirementCatalog(join(scratch, 'absent.json'))).toThrow(/run npm run generate/);
  });
});
