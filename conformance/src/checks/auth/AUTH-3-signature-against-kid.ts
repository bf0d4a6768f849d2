import { defineCheck } from '../../check.js';
import { refusesHostileTokens } from './hostile-token-matrix.js';

export const check = defineCheck({
  requirement: 'AUTH-3',
  slug: 'signature-against-kid',
  description: 'alice pulls and pushes with a foreign key claiming the real kid (plain, with its own key embedded as `jwk`, with a `jku` to its set), no kid, a rewritten payload, a rewritten header, a flipped signature, and a non-JWT: 401 AUTH_INVALID_TOKEN each',
  run: (ctx) => refusesHostileTokens(ctx, 'AUTH-3'),
});
