import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseRunOptions } from '../../conformance/src/cli-options.js';
import { fencedBlocks } from './support/doc-blocks.js';
import { REPOSITORY_ROOT } from './support/repository-copy.js';

const DOCS_DIR = join(REPOSITORY_ROOT, 'docs');

/** The shell lines of a workflow: GitHub's `steps[].run` and GitLab's `script` lists. */
function shellLines(workflow: unknown): string[] {
  const lines: string[] = [];
  const visit = (node: unknown, key: string | undefined) => {
    if (typeof node === 'string') {
      if (key === 'run' || key === 'script') lines.push(...node.split('\n').filter((line) => line.trim() !== ''));
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) visit(item, key === 'script' ? 'script' : undefined);
      return;
    }
    if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  visit(workflow, undefined);
  return lines;
}

const workflows = readdirSync(DOCS_DIR)
  .filter((file) => file.endsWith('.md'))
  .flatMap((doc) =>
    fencedBlocks(readFileSync(join(DOCS_DIR, doc), 'utf8'))
      .filter((block) => block.lang === 'yaml')
      .map((block) => ({ where: `docs/${doc}:${block.line}`, text: block.code })),
  );

// The workflows in the docs run on someone else's CI, not here: what can drift is the suite's
// command line, so every `mana-conformance run` in them goes through the CLI's own parser.
describe('docs: the CI workflows use the suite as it is', () => {
  it('the docs hold a GitHub Actions and a GitLab workflow', () => {
    const texts = workflows.map((workflow) => workflow.text);
    expect(texts.some((text) => /runs-on:/.test(text))).toBe(true);
    expect(texts.some((text) => /^\s*script:/m.test(text))).toBe(true);
  });

  for (const workflow of workflows) {
    it(`${workflow.where} parses, and each of its mana-conformance commands is valid`, () => {
      const lines = shellLines(parse(workflow.text));
      const commands = lines.filter((line) => line.includes('mana-conformance'));
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) {
        // No quoting in documented commands: a split on blanks is then the shell's own reading.
        expect(command).not.toMatch(/["'\\]/);
        const words = command.trim().split(/\s+/);
        const [, tool, verb, ...args] = words;
        expect({ tool, verb }).toEqual({ tool: 'mana-conformance', verb: 'run' });
        expect(() => parseRunOptions(args)).not.toThrow();
      }
    });
  }
});
