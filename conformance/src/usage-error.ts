/** A mistake in how the command was called, or a target it cannot use: exit status 2. */
export class UsageError extends Error {
  readonly code = 'CONFORMANCE_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
