import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requirement } from '../../spec/src/requirements.js';
import { ALL_CHECKS } from '../src/checks/registry.js';
import { UNCHECKED_REASONS } from '../src/unchecked-reasons.js';

const CHECKS_DIR = new URL('../src/checks/', import.meta.url);

describe('the check registry', () => {
  it('lists every check file of src/checks/<area>/<ID>-<slug>.ts exactly once, with unique ids', () => {
    const files = readdirSync(CHECKS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((dir) => readdirSync(new URL(`${dir.name}/`, CHECKS_DIR)).filter((file) => /^[A-Z]+-\d+-.+\.ts$/.test(file)).map((file) => `${dir.name}/${file}`));
    expect(ALL_CHECKS).toHaveLength(files.length);
    expect(new Set(ALL_CHECKS.map((check) => check.id)).size).toBe(ALL_CHECKS.length);
    for (const file of files) {
      const [dir, name] = file.split('/') as [string, string];
      const id = /^([A-Z]+-\d+)-/.exec(name)![1]!;
      expect(dir.toUpperCase(), file).toBe(requirement(id).area);
      expect(ALL_CHECKS.some((check) => check.requirement === id), file).toBe(true);
    }
  });

  it('every check enforces a server requirement, at that requirement’s level, and says what it sends', () => {
    for (const check of ALL_CHECKS) {
      const indexed = requirement(check.requirement);
      expect(indexed.subject, check.id).toBe('server');
      expect(check.level, check.id).toBe(indexed.level);
      expect(check.id.startsWith(`${check.requirement}/`), check.id).toBe(true);
      expect(check.description.length, check.id).toBeGreaterThan(20);
    }
  });

  it('a requirement is either checked or said to be undrivable, never both, and only server requirements are listed', () => {
    for (const id of Object.keys(UNCHECKED_REASONS)) {
      expect(requirement(id).subject, id).toBe('server');
      expect(ALL_CHECKS.some((check) => check.requirement === id), id).toBe(false);
    }
  });
});
