import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'SPACE-4',
  slug: 'model-non-member-writes',
  description: 'every device writes into the shared space, its personal space or no named space, alone and in batches, also after a revocation, and as another user with forged tokens: writes of non-members and into foreign spaces are refused whole (403/409), forged ones (alg none, HS256 keyed with the public key, ES256, a foreign key under the real kid) with 401 (AUTH-2, AUTH-3), and none reaches a reader',
  // A forged write shows a token bug only with the one forgery the server wrongly takes; each
  // forged-write step tries about half of the forgeries (sampled: 58% each), so a run (0 to 8 steps,
  // uniform) tries a given one with 38% odds (3000 sampled runs), and 12 runs with 99.7%.
  runsPerBudgetRun: 4,
  weights: { write: 6, batch: 3, 'forged-write': 4, pull: 3, revoke: 1, grant: 1, converge: 1 },
});
