import { markdownLines } from './markdown-lines.js';
import { isRequirementId, type RequirementId } from './requirement-index.js';
import { SpecFormatError } from './spec-format-error.js';

/** One row of the error-code table (formats.md §2). */
export interface ErrorCodeRow {
  code: string;
  /** null for codes that only travel on a WebSocket or SSE stream ("-" in the table). */
  status: number | null;
  requirement: RequirementId | null;
  meaning: string;
  line: number;
}

/** One row of the constants table (formats.md §3). */
export interface ConstantRow {
  name: string;
  value: number | string;
  unit: string;
  requirement: RequirementId | null;
  meaning: string;
  line: number;
}

export const ERROR_CODES_MARKER = '<!-- table:error-codes -->';
export const CONSTANTS_MARKER = '<!-- table:constants -->';
const ERROR_CODES_HEADER = ['Code', 'Status', 'Requirement', 'Meaning'];
const CONSTANTS_HEADER = ['Name', 'Value', 'Unit', 'Requirement', 'Meaning'];

const CODE_CELL = /^`([A-Z][A-Z0-9_]*)`$/;
const STATUS_CELL = /^[1-5][0-9]{2}$/;
const INTEGER_CELL = /^-?(0|[1-9][0-9]*)$/;
const STRING_CELL = /^"([^"\\]*)"$/;

export function parseErrorCodeTable(markdown: string, source = 'spec/protocol.md'): ErrorCodeRow[] {
  const rows = markedTable(markdown, ERROR_CODES_MARKER, ERROR_CODES_HEADER, source);
  const seen = new Map<string, number>();
  return rows.map(({ cells: [codeCell = '', statusCell = '', requirementCell = '', meaning = ''], line }) => {
    const code = CODE_CELL.exec(codeCell)?.[1];
    if (code === undefined) {
      throw new SpecFormatError(`error code cell must be \`UPPER_SNAKE\` in backticks, found "${codeCell}"`, source, line);
    }
    const first = seen.get(code);
    if (first !== undefined) {
      throw new SpecFormatError(`duplicate error code ${code} (first at line ${first})`, source, line);
    }
    seen.set(code, line);
    let status: number | null = null;
    if (statusCell !== '-') {
      if (!STATUS_CELL.test(statusCell)) {
        throw new SpecFormatError(
          `status of ${code} must be an HTTP status or "-", found "${statusCell}"`,
          source,
          line,
        );
      }
      status = Number(statusCell);
    }
    return {
      code,
      status,
      requirement: requirementCellValue(requirementCell, code, source, line),
      meaning: meaningCellValue(meaning, code, source, line),
      line,
    };
  });
}

export function parseConstantsTable(markdown: string, source = 'spec/protocol.md'): ConstantRow[] {
  const rows = markedTable(markdown, CONSTANTS_MARKER, CONSTANTS_HEADER, source);
  const seen = new Map<string, number>();
  return rows.map(({ cells: [nameCell = '', valueCell = '', unit = '', requirementCell = '', meaning = ''], line }) => {
    const name = CODE_CELL.exec(nameCell)?.[1];
    if (name === undefined) {
      throw new SpecFormatError(`constant name cell must be \`UPPER_SNAKE\` in backticks, found "${nameCell}"`, source, line);
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new SpecFormatError(`duplicate constant ${name} (first at line ${first})`, source, line);
    }
    seen.set(name, line);
    let value: number | string;
    const quoted = STRING_CELL.exec(valueCell);
    if (quoted?.[1] !== undefined) {
      value = quoted[1];
    } else if (INTEGER_CELL.test(valueCell) && Number.isSafeInteger(Number(valueCell))) {
      value = Number(valueCell);
    } else {
      throw new SpecFormatError(
        `value of ${name} must be plain digits or a "quoted string", found "${valueCell}"`,
        source,
        line,
      );
    }
    if (unit === '') throw new SpecFormatError(`unit of ${name} is empty (write "-" for none)`, source, line);
    return {
      name,
      value,
      unit,
      requirement: requirementCellValue(requirementCell, name, source, line),
      meaning: meaningCellValue(meaning, name, source, line),
      line,
    };
  });
}

function requirementCellValue(cell: string, rowName: string, source: string, line: number): RequirementId | null {
  if (cell === '-') return null;
  if (!isRequirementId(cell)) {
    throw new SpecFormatError(`requirement of ${rowName} must be a requirement ID or "-", found "${cell}"`, source, line);
  }
  return cell;
}

function meaningCellValue(cell: string, rowName: string, source: string, line: number): string {
  if (cell === '') throw new SpecFormatError(`meaning of ${rowName} is empty`, source, line);
  return cell;
}

interface TableRow {
  /** Exactly as many cells as the header has. */
  cells: string[];
  line: number;
}

/**
 * The body rows of the table that follows `marker` (blank lines allowed in between), checked
 * against the expected header so that a renamed or reordered column fails instead of shifting data.
 */
function markedTable(markdown: string, marker: string, header: readonly string[], source: string): TableRow[] {
  const lines = markdownLines(markdown);
  const markerAt = lines.filter((line) => !line.inFence && line.text.trim() === marker);
  const [found, second] = markerAt;
  if (found === undefined) throw new SpecFormatError(`no "${marker}" marker`, source);
  if (second !== undefined) {
    throw new SpecFormatError(`a second "${marker}" marker (first at line ${found.number})`, source, second.number);
  }
  let index = lines.indexOf(found) + 1;
  while (lines[index]?.text.trim() === '') index += 1;
  const headerLine = lines[index];
  const separatorLine = lines[index + 1];
  if (headerLine === undefined || !isTableLine(headerLine.text)) {
    throw new SpecFormatError(`"${marker}" must be followed by a table`, source, found.number);
  }
  const headerCells = splitRow(headerLine.text);
  if (headerCells.join('|') !== header.join('|')) {
    throw new SpecFormatError(
      `table header must be "| ${header.join(' | ')} |", found "${headerLine.text.trim()}"`,
      source,
      headerLine.number,
    );
  }
  if (
    separatorLine === undefined ||
    !isTableLine(separatorLine.text) ||
    !splitRow(separatorLine.text).every((cell) => /^:?-+:?$/.test(cell)) ||
    splitRow(separatorLine.text).length !== header.length
  ) {
    throw new SpecFormatError('malformed table: the header must be followed by a "|---|" separator row', source, headerLine.number);
  }
  const rows: TableRow[] = [];
  for (let row = index + 2; row < lines.length; row += 1) {
    const line = lines[row];
    if (line === undefined || line.inFence || !isTableLine(line.text)) break;
    const cells = splitRow(line.text);
    if (cells.length !== header.length) {
      throw new SpecFormatError(
        `malformed table row: ${cells.length} cells, the header has ${header.length}: ${line.text.trim()}`,
        source,
        line.number,
      );
    }
    rows.push({ cells, line: line.number });
  }
  if (rows.length === 0) throw new SpecFormatError(`the table after "${marker}" has no rows`, source, headerLine.number);
  return rows;
}

function isTableLine(text: string): boolean {
  return text.trim().startsWith('|');
}

/** Cells of a GFM table row: split on unescaped pipes, `\|` kept as a literal pipe. */
function splitRow(text: string): string[] {
  let inner = text.trim();
  if (inner.startsWith('|')) inner = inner.slice(1);
  if (inner.endsWith('|') && !inner.endsWith('\\|')) inner = inner.slice(0, -1);
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}
