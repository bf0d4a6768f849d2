import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRequirements } from '../src/requirement-index.js';

const fixture = readFileSync(new URL('fixtures/protocol/protocol.md', import.meta.url), 'utf8');

describe('requirement index (formats.md §1)', () => {
  const requirements = parseRequirements(fixture, 'protocol.md');

  it('finds every requirement heading in document order, and none inside code fences', () => {
    expect(requirements.map((requirement) => requirement.id)).toEqual([
      'PUSH-1',
      'PUSH-2',
      'PULL-3',
      'PULL-10',
      'LWW-1',
      'ERR-1',
      'OPS-1',
    ]);
  });

  it('reads ID, keyword, level, subject, title, section, anchor, rationale, cited schemas and body', () => {
    expect(requirements[0]).toEqual({
      id: 'PUSH-1',
      area: 'PUSH',
      number: 1,
      keyword: 'MUST',
      level: 'MUST',
      subject: 'server',
      title: 'The push endpoint',
      section: '2. Push',
      anchor: 'push-1-must-server-the-push-endpoint',
      text:
        'A server MUST accept `POST /sync/{appId}` with a body matching `page.schema.json` and answer with\n' +
        '`cursor.schema.json` in it; `page.schema.json` is cited twice but collected once.',
      rationale: 'the first server did it this way.',
      schemas: ['page.schema.json', 'cursor.schema.json'],
    });
  });

  it('maps MUST NOT to level MUST, SHOULD NOT to SHOULD and MAY to MAY', () => {
    const levels = Object.fromEntries(requirements.map((requirement) => [requirement.id, [requirement.keyword, requirement.level]]));
    expect(levels['PUSH-2']).toEqual(['MUST NOT', 'MUST']);
    expect(levels['PULL-3']).toEqual(['SHOULD', 'SHOULD']);
    expect(levels['PULL-10']).toEqual(['SHOULD NOT', 'SHOULD']);
    expect(levels['LWW-1']).toEqual(['MAY', 'MAY']);
  });

  it('ends a body at the next heading of level 4 or above, keeping level-5 headings inside it', () => {
    const push2 = requirements[1];
    expect(push2?.text).toContain('##### An example of a replay');
    expect(push2?.text).toContain('Level-5 headings belong');
    expect(push2?.text).not.toContain('Notes on pushing');
  });

  it('collects schemas cited with a path, and keeps Compatibility paragraphs in the body', () => {
    expect(requirements[2]?.schemas).toEqual(['cursor.schema.json']);
    expect(requirements[3]?.text).toContain('Compatibility: the first server set no cache headers.');
    expect(requirements[3]?.rationale).toBeNull();
  });

  it('slugs headings as GitHub does (inline code loses its backticks)', () => {
    const [requirement] = parseRequirements('## 3. Pull\n\n#### PULL-7 (MUST, server) A missing `since` starts at the beginning\nText.\n');
    expect(requirement?.anchor).toBe('pull-7-must-server-a-missing-since-starts-at-the-beginning');
  });

  it('leaves level-4 headings that do not start with an area alone', () => {
    const parsed = parseRequirements('## 1. Terms\n\n#### UTF-8 handling\nText.\n\n#### Notes\nMore.\n');
    expect(parsed).toEqual([]);
  });

  const malformed: [string, string, RegExp][] = [
    ['a heading without subject', '## 2. Push\n\n#### PUSH-4 (MUST) Missing subject\n', /protocol\.md:3: malformed requirement heading/],
    ['a number with a leading zero', '## 2. Push\n\n#### PUSH-04 (MUST, server) Leading zero\n', /protocol\.md:3: malformed/],
    ['an unknown keyword', '## 2. Push\n\n#### PUSH-4 (REQUIRED, server) Unknown keyword\n', /protocol\.md:3: malformed/],
    ['an unknown subject', '## 2. Push\n\n#### PUSH-4 (MUST, browser) Unknown subject\n', /protocol\.md:3: malformed/],
    ['an unknown area', '## 2. Push\n\n#### SYNC-1 (MUST, server) Unknown area\n', /protocol\.md:3: malformed/],
    ['a lower-case area', '## 2. Push\n\n#### push-4 (MUST, server) Lower case\n', /protocol\.md:3: malformed/],
    ['a heading without a title', '## 2. Push\n\n#### PUSH-4 (MUST, server)\n', /protocol\.md:3: malformed/],
    ['a requirement at level 3', '## 2. Push\n\n### PUSH-4 (MUST, server) Wrong level\n', /protocol\.md:3: requirement headings are level 4/],
    ['a requirement at level 5', '## 2. Push\n\n#### PUSH-4 (MUST, server) A\nx\n##### PUSH-5 (MUST, server) B\n', /protocol\.md:5: requirement headings are level 4/],
    [
      'a duplicate ID',
      '## 2. Push\n\n#### PUSH-1 (MUST, server) A\nx\n\n#### PUSH-1 (MAY, client) B\ny\n',
      /protocol\.md:6: duplicate requirement ID PUSH-1 \(first at line 3\)/,
    ],
    ['a requirement before any section', '# Title\n\n#### PUSH-1 (MUST, server) A\n', /protocol\.md:3: requirement PUSH-1 is not inside a "## " section/],
    [
      'two Rationale lines',
      '## 2. Push\n\n#### PUSH-1 (MUST, server) A\nx\nRationale: one.\nRationale: two.\n',
      /protocol\.md:6: PUSH-1 has more than one "Rationale:" line/,
    ],
  ];

  it.each(malformed)('rejects %s, naming the line', (_name, markdown, message) => {
    expect(() => parseRequirements(markdown, 'protocol.md')).toThrow(message);
  });
});
