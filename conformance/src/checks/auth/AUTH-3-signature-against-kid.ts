import { defineCheck } from '../../check.js';
import { refusesHostileTokens } from './hostile-token-matrix.js';

export const check = defineCheck({
  requirement: 'AUTH-3',
  slug: 'signature-against-kid',
  description: 'alice pulls and pushes with a foreign key claiming the real kid, no kid, a rewritten payload, a flipped signature, and a non-JWT: 401 with the spec\'s code each',
  run: (ctx) => refusesHostileTokens(ctx, 'AUTH-3'),
});
