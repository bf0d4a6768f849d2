import { parseConstantsTable, parseErrorCodeTable, type ConstantRow, type ErrorCodeRow } from './markdown-tables.js';
import { parseRequirements, type Requirement } from './requirement-index.js';
import { SpecFormatError } from './spec-format-error.js';

/** Everything machine-readable in protocol.md. */
export interface ProtocolIndex {
  requirements: Requirement[];
  errorCodes: ErrorCodeRow[];
  constants: ConstantRow[];
}

/**
 * Parses the requirements and both tables, and fails when a table row cites a requirement the
 * document does not define: a dangling citation would reach error bodies and reports.
 */
export function indexProtocol(markdown: string, source = 'spec/protocol.md'): ProtocolIndex {
  const requirements = parseRequirements(markdown, source);
  const errorCodes = parseErrorCodeTable(markdown, source);
  const constants = parseConstantsTable(markdown, source);
  const defined = new Set<string>(requirements.map((requirement) => requirement.id));
  for (const row of [...errorCodes, ...constants]) {
    if (row.requirement !== null && !defined.has(row.requirement)) {
      const name = 'code' in row ? row.code : row.name;
      throw new SpecFormatError(`${name} cites ${row.requirement}, which no requirement heading defines`, source, row.line);
    }
  }
  return { requirements, errorCodes, constants };
}
