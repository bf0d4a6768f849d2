import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { headingOf, markdownLines } from '../../spec/src/markdown-lines.js';
import { isRequirementId } from '../../spec/src/requirement-index.js';
import { loadRequirementCatalog } from '../../spec/src/requirements.js';
import { fencedBlocks } from './support/doc-blocks.js';
import { REPOSITORY_ROOT } from './support/repository-copy.js';

const READMES = ['README.md', 'conformance/README.md', 'scenarios/README.md', 'reference-server/README.md', 'reference-client/README.md', 'bench/README.md'];
const DOCUMENTS = [
  ...readdirSync(join(REPOSITORY_ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
  ...READMES.filter((file) => existsSync(join(REPOSITORY_ROOT, file))),
];

/** The anchors GitHub gives a document's headings. */
function anchorsOf(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  for (const line of markdownLines(readFileSync(file, 'utf8'))) {
    const heading = headingOf(line);
    if (heading !== null) anchors.add(slugger.slug(heading.text));
  }
  return anchors;
}

/** Markdown links `[text](target)` outside code, with their line. */
function linksOf(markdown: string): Array<{ target: string; line: number }> {
  return markdownLines(markdown)
    .filter((line) => !line.inFence)
    .flatMap((line) => [...line.text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((match) => ({ target: match[1]!, line: line.number })));
}

const catalog = loadRequirementCatalog();

describe('docs: what the documents point at exists', () => {
  for (const document of DOCUMENTS) {
    const path = join(REPOSITORY_ROOT, document);
    const text = readFileSync(path, 'utf8');

    it(`${document}: every relative link reaches a file, and every #anchor a heading of it`, () => {
      const broken: string[] = [];
      for (const { target, line } of linksOf(text)) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto: — not ours to check offline
        const [file = '', anchor] = target.split('#');
        const resolved = file === '' ? path : resolve(dirname(path), file);
        if (!existsSync(resolved)) broken.push(`${document}:${line} ${target} (no ${relative(REPOSITORY_ROOT, resolved)})`);
        else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) broken.push(`${document}:${line} ${target} (no heading #${anchor})`);
      }
      expect(broken).toEqual([]);
    });

    it(`${document}: every requirement ID it names is one of spec/protocol.md`, () => {
      const named = [...text.matchAll(/\b([A-Z]{2,6}-\d{1,3})\b/g)].map((match) => match[1]!).filter(isRequirementId);
      const unknown = named.filter((id) => !catalog.all.some((requirement) => requirement.id === id));
      expect(unknown).toEqual([]);
    });

    const shown = fencedBlocks(text).filter((block) => block.directive.source !== undefined);
    for (const block of shown) {
      it(`${document}:${block.line} shows ${block.directive.source} as it is`, () => {
        const source = readFileSync(join(REPOSITORY_ROOT, block.directive.source!), 'utf8');
        expect(block.code.trimEnd()).toBe(source.trimEnd());
      });
    }
  }
});
