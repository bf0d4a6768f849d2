// OPS-8: failures that mean "the database cannot be reached right now", answered 503
// STORE_UNAVAILABLE with Retry-After instead of 500: connection errors of the network and the
// driver, PostgreSQL's connection-exception class (08), a server shutting down or refusing
// connections (57P01 to 57P03, 53300), and a statement cancelled by the store timeout (57014).
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection timeout|PGlite is closed|Client has encountered a connection error|Cannot use a pool after calling end/i;

export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  if (error instanceof AggregateError && error.errors.some(isStoreUnavailable)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}
