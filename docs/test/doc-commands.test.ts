import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedBlocks, type FencedBlock } from './support/doc-blocks.js';
import { runBlock, startBackgroundBlock, type BackgroundBlock } from './support/doc-shell.js';
import { copyRepository, REPOSITORY_ROOT } from './support/repository-copy.js';

const DOCS_DIR = join(REPOSITORY_ROOT, 'docs');
/** The walkthrough a new user follows first installs the copy (`npm ci`); the others run after it. */
const FIRST = 'validate-your-server.md';
const DOCS = readdirSync(DOCS_DIR)
  .filter((file) => file.endsWith('.md'))
  .sort((a, b) => (a === FIRST ? -1 : b === FIRST ? 1 : a.localeCompare(b)));
const SHELL = new Set(['sh', 'bash', 'shell']);
/** Failure bounds: a whole suite run against a server on this 2-core machine, or `npm ci`. */
const BLOCK_TIMEOUT_MS = 300_000;
const READY_TIMEOUT_MS = 120_000;

const DEPLOYMENT_VARIABLES = ['MANA_SYNC_URL', 'ALICE_JWT', 'BOB_JWT', 'MANA_SYNC_SPACE'];
/** What a block may need that a machine may lack: whether it is here, and what is missing if not. */
const NEEDS: Record<string, { available: () => boolean; missing: string }> = {
  docker: { available: () => spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0, missing: 'a Docker engine, which this machine does not have' },
  chromium: { available: () => existsSync('/usr/bin/chromium'), missing: '/usr/bin/chromium, which this machine does not have' },
  // A deployed server and two real users' tokens, which only the reader has.
  deployment: {
    available: () => DEPLOYMENT_VARIABLES.every((name) => (process.env[name] ?? '') !== ''),
    missing: `a deployment: set ${DEPLOYMENT_VARIABLES.join(', ')}`,
  },
};

function missingNeeds(block: FencedBlock): string[] {
  return block.directive.needs.flatMap((need) => {
    const probe = NEEDS[need];
    if (probe === undefined) throw new Error(`unknown need "${need}" at line ${block.line}`);
    return probe.available() ? [] : [probe.missing];
  });
}

function title(doc: string, block: FencedBlock): string {
  const firstCommand = block.code.split('\n').find((line) => line.trim() !== '' && !line.trim().startsWith('#')) ?? '';
  return `docs/${doc}:${block.line} ${firstCommand.trim().slice(0, 100)}`;
}

// Every shell block of docs/*.md is run, in order, in a fresh copy of the repository: docs that
// drift from what the commands do fail CI. Directives above a block are described in doc-blocks.ts.
describe('docs: every shell command runs as documented', () => {
  let copy = '';
  beforeAll(() => {
    copy = copyRepository();
  });
  afterAll(() => {
    if (copy !== '') rmSync(copy, { recursive: true, force: true });
  });

  for (const doc of DOCS) {
    const blocks = fencedBlocks(readFileSync(join(DOCS_DIR, doc), 'utf8')).filter((block) => SHELL.has(block.lang));
    // A page without shell blocks (a reading guide) has nothing to run here; doc-references checks it.
    if (blocks.length === 0) continue;
    describe(doc, () => {
      const background: BackgroundBlock[] = [];
      afterAll(async () => {
        await Promise.all(background.map((block) => block.stop()));
      });
      for (const block of blocks) {
        const missing = missingNeeds(block);
        if (missing.length > 0) {
          const reason = `needs ${missing.join('; ')}`;
          console.warn(`${title(doc, block)}: skipped, ${reason}`);
          it.skip(`${title(doc, block)} (${reason})`, () => {});
          continue;
        }
        it(title(doc, block), async () => {
          const { directive } = block;
          if (directive.background) {
            if (directive.ready === undefined) throw new Error(`a background block needs ready=/regex/ (line ${block.line})`);
            background.push(await startBackgroundBlock(block.code, copy, directive.ready, READY_TIMEOUT_MS));
            return;
          }
          const result = await runBlock(block.code, copy, BLOCK_TIMEOUT_MS);
          const shown = `the block's output ended with:\n${result.output.slice(-4000)}`;
          expect(result.code, shown).toBe(directive.exit);
          if (directive.output !== undefined) expect(result.output, shown).toMatch(directive.output);
        }, BLOCK_TIMEOUT_MS + READY_TIMEOUT_MS);
      }
    });
  }
});
