import { markdownLines } from '../../../spec/src/markdown-lines.js';

/**
 * How a doc's shell block is run, from an HTML comment on the line before it:
 * `<!-- doc-test: exit=2 -->` (expected exit status, default 0), `<!-- doc-test: output=/regex/ -->`
 * (its combined output must match), `<!-- doc-test: background ready=/regex/ -->` (started and left
 * running until the document ends; ready when its output matches), `<!-- doc-test: needs=docker -->`
 * (skipped, with the reason printed, where no Docker engine answers), `<!-- doc-test: source=path -->`
 * (the block shows that file of the repository, verbatim).
 */
export interface BlockDirective {
  readonly exit: number;
  readonly output: RegExp | undefined;
  readonly background: boolean;
  readonly ready: RegExp | undefined;
  readonly needs: readonly string[];
  readonly source: string | undefined;
}

export interface FencedBlock {
  /** The info string after the fence (`sh`, `yaml`, `ts`, ...), empty when none. */
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly directive: BlockDirective;
}

const DIRECTIVE = /^<!--\s*doc-test:(.*?)-->\s*$/;
const FENCE_INFO = /^ {0,3}(?:`{3,}|~{3,})\s*([^\s`]*)/;

/** A directive's words: `key=value` pairs (a value may be a /regex/ holding spaces) and bare flags. */
function directiveOf(comment: string | undefined): BlockDirective {
  const directive = { exit: 0, output: undefined as RegExp | undefined, background: false, ready: undefined as RegExp | undefined, needs: [] as string[], source: undefined as string | undefined };
  if (comment === undefined) return directive;
  for (const match of comment.matchAll(/(\w+)(?:=(\/(?:\\.|[^/])*\/|\S+))?/g)) {
    const [, key, value] = match;
    const regex = value?.startsWith('/') ? new RegExp(value.slice(1, -1)) : undefined;
    if (key === 'exit') directive.exit = Number(value);
    else if (key === 'output') directive.output = regex;
    else if (key === 'ready') directive.ready = regex;
    else if (key === 'background') directive.background = true;
    else if (key === 'needs' && value !== undefined) directive.needs.push(...value.split(','));
    else if (key === 'source' && value !== undefined) directive.source = value;
    else throw new Error(`unknown doc-test directive "${match[0]}"`);
  }
  return directive;
}

/** Every fenced code block of a markdown document, with the doc-test directive above it. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdownLines(markdown);
  let open: { lang: string; line: number; body: string[]; comment: string | undefined } | undefined;
  lines.forEach((line, index) => {
    if (line.fence === 'open') {
      const previous = lines[index - 1]?.text.trim() ?? '';
      open = { lang: FENCE_INFO.exec(line.text)?.[1] ?? '', line: line.number, body: [], comment: DIRECTIVE.exec(previous)?.[1] };
    } else if (line.fence === 'close' && open !== undefined) {
      blocks.push({ lang: open.lang, code: open.body.join('\n'), line: open.line, directive: directiveOf(open.comment) });
      open = undefined;
    } else if (open !== undefined) {
      open.body.push(line.text);
    }
  });
  return blocks;
}
