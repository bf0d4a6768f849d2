import { defineCheck } from '../../check.js';
import { refusesHostileTokens } from './hostile-token-matrix.js';

export const check = defineCheck({
  requirement: 'AUTH-2',
  slug: 'eddsa-only',
  description: 'alice pulls and pushes with alg none, HS256 signed with the public key, and ES256 under the real kid: 401 with the spec\'s code each',
  run: (ctx) => refusesHostileTokens(ctx, 'AUTH-2'),
});
