/**
 * A spec source (protocol.md, a schema file) that breaks the machine-readable format the
 * generator relies on. The message names the file and line so the author can fix it directly.
 */
export class SpecFormatError extends Error {
  readonly code = 'SPEC_FORMAT';

  constructor(
    message: string,
    readonly source: string,
    readonly line?: number,
    options?: ErrorOptions,
  ) {
    super(line === undefined ? `${source}: ${message}` : `${source}:${line}: ${message}`, options);
    this.name = 'SpecFormatError';
  }
}
