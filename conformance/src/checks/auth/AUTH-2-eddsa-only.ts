import { defineCheck } from '../../check.js';
import { refusesHostileTokens } from './hostile-token-matrix.js';

export const check = defineCheck({
  requirement: 'AUTH-2',
  slug: 'eddsa-only',
  description: 'alice pulls and pushes with alg none (with and without the real kid), HS256 signed with the public key as PEM, as raw bytes and as JWK text, ES256, RS256, and alg "eddsa" validly signed: 401 AUTH_INVALID_TOKEN each',
  run: (ctx) => refusesHostileTokens(ctx, 'AUTH-2'),
});
