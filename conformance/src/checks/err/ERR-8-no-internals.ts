import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';

const INTERNALS = [/\n\s+at .+:\d+:\d+/, /\bselect\b.+\bfrom\b/i, /\binsert into\b/i, /\bsyntax error at or near\b/i, /\brelation "/i, /node_modules/, /\/src\/.+\.[jt]s\b/];

export const check = defineCheck({
  requirement: 'ERR-8',
  slug: 'no-internals',
  description: 'alice sends inputs that reach deep into a server (a 100,000-deep value, a huge since, a table of 4000 chars, a forged token): no error message holds a stack trace, SQL, source path, token or the service key',
  async run({ alice, auth }) {
    const token = await alice.bearer();
    const answers = [
      await alice.push({}, { rawBody: `{"changes":[{"table":"tasks","id":"a","op":"insert","data":{"v":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}` }),
      await alice.pull({ collection: TABLE, since: `c1.${'f'.repeat(500)}` }),
      await alice.push({ changes: [{ table: 'x'.repeat(4000), id: 'a', op: 'insert', data: {} }] }),
      await alice.pull({ collection: TABLE }, { token: `${token.slice(0, -4)}AAAA` }),
    ];
    for (const answer of answers) {
      const found = INTERNALS.find((pattern) => pattern.test(answer.text));
      expectTrue(found === undefined, 'ERR-8', `an error of ${answer.method} ${answer.url} without internals`, () => `${answer.text.slice(0, 300)} (matches ${String(found)})`);
      for (const secret of [token, auth.serviceKey]) expectTrue(!answer.text.includes(secret), 'ERR-8', 'no token or service key in an error', () => answer.text.slice(0, 300));
    }
  },
});
