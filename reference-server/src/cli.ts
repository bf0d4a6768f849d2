// Placeholder until the reference server's issue lands: says so plainly and fails, so that no
// script mistakes it for a running server.
const NOT_YET =
  'mana-sync-server: the reference server is not implemented yet; it will serve the mana-sync protocol (push, pull, SSE, WebSocket) over HTTP, backed by PostgreSQL or embedded PGlite';

const HELP = `Usage: mana-sync-server [options]

Not implemented yet. Once it is, mana-sync-server will serve the mana-sync protocol of
spec/protocol.md over HTTP (push, pull, Server-Sent Events, WebSocket notifications, health and
metrics), storing the change log in PostgreSQL (DATABASE_URL) or in embedded PGlite.

Until then every invocation, this one included, exits with status 2.`;

if (process.argv.slice(2).some((argument) => argument === '--help' || argument === '-h')) {
  console.log(HELP);
} else {
  console.error(NOT_YET);
}
process.exitCode = 2;
