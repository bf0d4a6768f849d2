import GithubSlugger from 'github-slugger';
import { headingOf, markdownLines } from './markdown-lines.js';
import { SpecFormatError } from './spec-format-error.js';

/** The eleven requirement areas of protocol.md, in the order the document introduces them. */
export const AREAS = [
  'PUSH',
  'PULL',
  'SSE',
  'WS',
  'LWW',
  'SPACE',
  'AUTH',
  'ERR',
  'OPS',
  'CRYPT',
  'BACKUP',
] as const;
export type Area = (typeof AREAS)[number];

export const KEYWORDS = ['MUST NOT', 'MUST', 'SHOULD NOT', 'SHOULD', 'MAY'] as const;
export type Keyword = (typeof KEYWORDS)[number];

/** MUST NOT binds as strictly as MUST, SHOULD NOT as SHOULD: reports group by level. */
export type Level = 'MUST' | 'SHOULD' | 'MAY';

export const SUBJECTS = ['server', 'client', 'archive'] as const;
export type Subject = (typeof SUBJECTS)[number];

export type RequirementId = `${Area}-${number}`;

/** One requirement of protocol.md: one `#### <ID> (<KEYWORD>, <subject>) <title>` heading and its body. */
export interface Requirement {
  id: RequirementId;
  area: Area;
  number: number;
  keyword: Keyword;
  level: Level;
  subject: Subject;
  title: string;
  /** The text of the nearest enclosing `## ` heading, e.g. "2. Push". */
  section: string;
  /** GitHub's anchor for the heading, so reports can link into the rendered document. */
  anchor: string;
  /** The body without its Rationale line. */
  text: string;
  rationale: string | null;
  /** Schema files the body cites as `name.schema.json`, in order of first mention. */
  schemas: string[];
}

const AREA_ALTERNATION = AREAS.join('|');
const KEYWORD_ALTERNATION = KEYWORDS.join('|');

export const REQUIREMENT_ID_PATTERN = new RegExp(`^(${AREA_ALTERNATION})-([1-9][0-9]*)$`);

const REQUIREMENT_HEADING = new RegExp(
  `^#### ((${AREA_ALTERNATION})-([1-9][0-9]*)) \\((${KEYWORD_ALTERNATION}), (${SUBJECTS.join('|')})\\) (.+)$`,
);
/** Starts like a requirement heading: a known area followed by "-" (any case). */
const AREA_PREFIX = new RegExp(`^(${AREA_ALTERNATION})-`, 'i');
/** An ID of an area the spec does not define, written in the requirement form. */
const UNKNOWN_AREA_HEADING = /^[A-Z][A-Z0-9]*-[0-9]+\s*\(/;
/** A requirement ID at the start of a heading of another level: a mistyped requirement heading. */
const REQUIREMENT_SHAPED = new RegExp(`^(${AREA_ALTERNATION})-[0-9]+\\b`);
const CITED_SCHEMA = /`(?:[^`\s]*\/)?([A-Za-z0-9._-]+\.schema\.json)`/g;
const RATIONALE = /^Rationale:\s*(.*)$/;

export function isRequirementId(value: string): value is RequirementId {
  return REQUIREMENT_ID_PATTERN.test(value);
}

export function levelOf(keyword: Keyword): Level {
  if (keyword === 'MUST' || keyword === 'MUST NOT') return 'MUST';
  if (keyword === 'SHOULD' || keyword === 'SHOULD NOT') return 'SHOULD';
  return 'MAY';
}

interface OpenRequirement {
  heading: Omit<Requirement, 'text' | 'rationale' | 'schemas'>;
  body: { number: number; text: string }[];
}

/**
 * Reads the requirements of protocol.md in document order (formats.md §1). Fails with the file
 * and line on a heading that looks like a requirement but is malformed, on a requirement outside
 * any `## ` section and on a duplicate ID, because a silently skipped requirement would drop out
 * of every report.
 */
export function parseRequirements(markdown: string, source = 'spec/protocol.md'): Requirement[] {
  const slugger = new GithubSlugger();
  const requirements: Requirement[] = [];
  const seen = new Map<string, number>();
  let section: string | null = null;
  let open: OpenRequirement | null = null;

  const close = (): void => {
    if (open === null) return;
    requirements.push(finish(open, source));
    open = null;
  };

  for (const line of markdownLines(markdown)) {
    const heading = headingOf(line);
    if (heading !== null && heading.level !== 4 && REQUIREMENT_SHAPED.test(heading.text)) {
      throw new SpecFormatError(
        `requirement headings are level 4 ("#### "), found level ${heading.level}: ${line.text}`,
        source,
        line.number,
      );
    }
    // Every heading takes a slug, in order, so duplicate-text suffixes match GitHub's anchors.
    const anchor = heading === null ? '' : slugger.slug(heading.text);
    if (heading === null || heading.level > 4) {
      open?.body.push({ number: line.number, text: line.text });
      continue;
    }
    close();
    if (heading.level === 2) section = heading.text;
    if (heading.level !== 4) continue;
    const match = REQUIREMENT_HEADING.exec(line.text);
    if (match === null) {
      if (AREA_PREFIX.test(heading.text) || UNKNOWN_AREA_HEADING.test(heading.text)) {
        throw new SpecFormatError(
          `malformed requirement heading (expected "#### AREA-n (KEYWORD, subject) Title" with AREA one of ${AREAS.join(', ')}, KEYWORD one of ${KEYWORDS.join(', ')}, subject one of ${SUBJECTS.join(', ')}): ${line.text}`,
          source,
          line.number,
        );
      }
      continue;
    }
    const [, id, area, number, keyword, subject, title] = match as unknown as [
      string,
      RequirementId,
      Area,
      string,
      Keyword,
      Subject,
      string,
    ];
    const firstLine = seen.get(id);
    if (firstLine !== undefined) {
      throw new SpecFormatError(`duplicate requirement ID ${id} (first at line ${firstLine})`, source, line.number);
    }
    seen.set(id, line.number);
    if (section === null) {
      throw new SpecFormatError(`requirement ${id} is not inside a "## " section`, source, line.number);
    }
    open = {
      heading: {
        id,
        area,
        number: Number(number),
        keyword,
        level: levelOf(keyword),
        subject,
        title: title.trim(),
        section,
        anchor,
      },
      body: [],
    };
  }
  close();
  return requirements;
}

function finish(open: OpenRequirement, source: string): Requirement {
  let rationale: string | null = null;
  const textLines: string[] = [];
  for (const line of open.body) {
    const match = RATIONALE.exec(line.text);
    if (match === null) {
      textLines.push(line.text);
      continue;
    }
    if (rationale !== null) {
      throw new SpecFormatError(`${open.heading.id} has more than one "Rationale:" line`, source, line.number);
    }
    rationale = (match[1] ?? '').trim();
    if (rationale === '') {
      throw new SpecFormatError(`${open.heading.id} has an empty "Rationale:" line`, source, line.number);
    }
  }
  const schemas: string[] = [];
  for (const line of open.body) {
    for (const cited of line.text.matchAll(CITED_SCHEMA)) {
      const file = cited[1];
      if (file !== undefined && !schemas.includes(file)) schemas.push(file);
    }
  }
  return { ...open.heading, text: textLines.join('\n').trim(), rationale, schemas };
}
