import { defineCheck } from '../../check.js';
import { refusesHostileTokens } from './hostile-token-matrix.js';

export const check = defineCheck({
  requirement: 'AUTH-4',
  slug: 'tokens-expire',
  description: 'alice pulls and pushes with a token an hour expired (AUTH_TOKEN_EXPIRED), one without exp and one whose exp is a string (AUTH_INVALID_TOKEN): 401 with the spec\'s code each',
  run: (ctx) => refusesHostileTokens(ctx, 'AUTH-4'),
});
