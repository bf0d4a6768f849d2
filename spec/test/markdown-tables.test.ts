import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConstantsTable, parseErrorCodeTable } from '../src/markdown-tables.js';
import { indexProtocol } from '../src/protocol-index.js';

const fixture = readFileSync(new URL('fixtures/protocol/protocol.md', import.meta.url), 'utf8');

const errorTable = (rows: string): string =>
  `## 9. Errors\n\n<!-- table:error-codes -->\n| Code | Status | Requirement | Meaning |\n|---|---|---|---|\n${rows}`;
const constantsTable = (rows: string): string =>
  `## 10. Constants\n\n<!-- table:constants -->\n| Name | Value | Unit | Requirement | Meaning |\n|---|---|---|---|---|\n${rows}`;

describe('error code table (formats.md §2)', () => {
  it('reads code, status (null for "-"), requirement (null for "-") and meaning, with escaped pipes', () => {
    expect(parseErrorCodeTable(fixture)).toEqual([
      { code: 'REQUEST_INVALID_JSON', status: 400, requirement: 'ERR-1', meaning: 'The body is not valid JSON.', line: 49 },
      { code: 'ROUTE_NOT_FOUND', status: 404, requirement: null, meaning: 'No such route | method.', line: 50 },
      {
        code: 'WS_INVALID_MESSAGE',
        status: null,
        requirement: null,
        meaning: 'A WebSocket message that is not valid (sent as a close reason).',
        line: 51,
      },
    ]);
  });

  const broken: [string, string, RegExp][] = [
    ['a missing marker', '## 9. Errors\n\n| Code | Status | Requirement | Meaning |\n', /no "<!-- table:error-codes -->" marker/],
    [
      'a reordered header',
      '<!-- table:error-codes -->\n| Status | Code | Requirement | Meaning |\n|---|---|---|---|\n| 400 | `A` | - | m |\n',
      /:2: table header must be "\| Code \| Status \| Requirement \| Meaning \|"/,
    ],
    ['a marker not followed by a table', '<!-- table:error-codes -->\nSome text.\n', /:1: "<!-- table:error-codes -->" must be followed by a table/],
    ['a missing separator row', '<!-- table:error-codes -->\n| Code | Status | Requirement | Meaning |\n| `A` | 400 | - | m |\n', /:2: malformed table/],
    ['a row with too few cells', errorTable('| `A` | 400 | m |\n'), /:6: malformed table row: 3 cells, the header has 4/],
    ['a code without backticks', errorTable('| A | 400 | - | m |\n'), /:6: error code cell must be `UPPER_SNAKE` in backticks/],
    ['a status that is not a number', errorTable('| `A` | 4xx | - | m |\n'), /:6: status of A must be an HTTP status or "-"/],
    ['a malformed requirement', errorTable('| `A` | 400 | PUSH-01 | m |\n'), /:6: requirement of A must be a requirement ID or "-"/],
    ['an empty meaning', errorTable('| `A` | 400 | - |  |\n'), /:6: meaning of A is empty/],
    ['a duplicate code', errorTable('| `A` | 400 | - | m |\n| `A` | 401 | - | n |\n'), /:7: duplicate error code A \(first at line 6\)/],
    ['a table without rows', errorTable(''), /:4: the table after "<!-- table:error-codes -->" has no rows/],
    [
      'a second marker',
      `${errorTable('| `A` | 400 | - | m |\n')}\n<!-- table:error-codes -->\n`,
      /:8: a second "<!-- table:error-codes -->" marker \(first at line 3\)/,
    ],
  ];

  it.each(broken)('rejects %s, naming the line', (_name, markdown, message) => {
    expect(() => parseErrorCodeTable(markdown, 'protocol.md')).toThrow(message);
  });

  it('ignores a marker shown inside a code fence', () => {
    const markdown = `\`\`\`\n<!-- table:error-codes -->\n\`\`\`\n${errorTable('| `A` | 400 | - | m |\n')}`;
    expect(parseErrorCodeTable(markdown).map((row) => row.code)).toEqual(['A']);
  });
});

describe('constants table (formats.md §3)', () => {
  it('reads integers as numbers and quoted values as strings', () => {
    expect(parseConstantsTable(fixture).map(({ name, value, unit, requirement }) => ({ name, value, unit, requirement }))).toEqual([
      { name: 'MAX_BODY_BYTES', value: 10_485_760, unit: 'bytes', requirement: 'PUSH-1' },
      { name: 'PULL_PAGE_SIZE', value: 1000, unit: 'count', requirement: null },
      { name: 'PROTOCOL_NAME', value: 'mana-sync/1', unit: '-', requirement: null },
    ]);
  });

  const broken: [string, string, RegExp][] = [
    ['digit separators', constantsTable('| `A` | 10_000 | ms | - | m |\n'), /:6: value of A must be plain digits or a "quoted string"/],
    ['a fraction', constantsTable('| `A` | 1.5 | ms | - | m |\n'), /:6: value of A must be plain digits/],
    ['an unquoted string', constantsTable('| `A` | fast | - | - | m |\n'), /:6: value of A must be plain digits/],
    ['a lower-case name', constantsTable('| `maxBody` | 1 | - | - | m |\n'), /:6: constant name cell must be `UPPER_SNAKE`/],
    ['an empty unit', constantsTable('| `A` | 1 |  | - | m |\n'), /:6: unit of A is empty/],
    ['a duplicate name', constantsTable('| `A` | 1 | - | - | m |\n| `A` | 2 | - | - | n |\n'), /:7: duplicate constant A \(first at line 6\)/],
  ];

  it.each(broken)('rejects %s, naming the line', (_name, markdown, message) => {
    expect(() => parseConstantsTable(markdown, 'protocol.md')).toThrow(message);
  });
});

describe('protocol index', () => {
  it('indexes the requirements and both tables of a document', () => {
    const index = indexProtocol(fixture);
    expect([index.requirements.length, index.errorCodes.length, index.constants.length]).toEqual([7, 3, 3]);
  });

  it('rejects a table row that cites a requirement no heading defines', () => {
    const markdown = fixture.replace('| 400 | ERR-1 |', '| 400 | ERR-9 |');
    expect(() => indexProtocol(markdown, 'protocol.md')).toThrow(/protocol\.md:49: REQUEST_INVALID_JSON cites ERR-9, which no requirement heading defines/);
  });
});
