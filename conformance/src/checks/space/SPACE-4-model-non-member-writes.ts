import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'SPACE-4',
  slug: 'model-non-member-writes',
  description: 'every device writes into the shared space, its personal space or no named space, alone and in batches, also after a revocation, and as another user with forged tokens: writes of non-members and into foreign spaces are refused whole (403/409), forged ones (alg none, HS256 keyed with the public key, ES256, a foreign key under the real kid) with 401 (AUTH-2, AUTH-3), and none reaches a reader',
  // A forged write shows a token bug only with the one forgery the server wrongly takes; a
  // forged-write step tries each forgery with 58% odds, so 38% of runs try a given one
  // (`BENCH_ONLY=model-odds npm run bench`), and 12 runs do in 99.7% of searches.
  runsPerBudgetRun: 4,
  weights: { write: 6, batch: 3, 'forged-write': 4, pull: 3, revoke: 1, grant: 1, converge: 1 },
});
