import { defineCheck } from '../../check.js';
import { refusesHostileTokens } from './hostile-token-matrix.js';

export const check = defineCheck({
  requirement: 'AUTH-6',
  slug: 'subject-required',
  description: 'alice pulls and pushes with a token without sub, with an empty sub, a sub of 256 characters and a numeric sub (AUTH_INVALID_TOKEN): 401 with the spec\'s code each',
  run: (ctx) => refusesHostileTokens(ctx, 'AUTH-6'),
});
