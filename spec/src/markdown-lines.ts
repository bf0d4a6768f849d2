/** One source line of a markdown document, as the spec's parsers see it. */
export interface MarkdownLine {
  /** 1-based, for error messages. */
  readonly number: number;
  readonly text: string;
  /** Inside a fenced code block (or its fence line): never a heading, marker or table. */
  readonly inFence: boolean;
  /** On a fence line: whether it opens or closes the block (doc tests read the blocks' bodies). */
  readonly fence?: 'open' | 'close';
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Splits markdown into lines and marks fenced code, so that an example heading or table shown
 * inside a code block is never mistaken for a requirement or a machine-readable table.
 */
export function markdownLines(text: string): MarkdownLine[] {
  const lines: MarkdownLine[] = [];
  let openFence: string | null = null;
  text.split(/\r?\n/).forEach((line, index) => {
    const fence = FENCE.exec(line)?.[1];
    if (openFence === null && fence !== undefined) {
      openFence = fence;
      lines.push({ number: index + 1, text: line, inFence: true, fence: 'open' });
      return;
    }
    if (openFence !== null) {
      const closes =
        fence !== undefined &&
        fence[0] === openFence[0] &&
        fence.length >= openFence.length &&
        line.trim() === fence;
      if (closes) openFence = null;
      lines.push({ number: index + 1, text: line, inFence: true, ...(closes ? { fence: 'close' as const } : {}) });
      return;
    }
    lines.push({ number: index + 1, text: line, inFence: false });
  });
  return lines;
}

/** An ATX heading (`## Title`) outside code, or null. */
export function headingOf(line: MarkdownLine): { level: number; text: string } | null {
  if (line.inFence) return null;
  const match = /^(#{1,6})[ \t]+(.*?)[ \t]*$/.exec(line.text);
  if (!match?.[1] || match[2] === undefined) return null;
  return { level: match[1].length, text: match[2] };
}
