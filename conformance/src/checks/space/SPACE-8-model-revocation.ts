import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'SPACE-8',
  slug: 'model-revocation',
  description: 'alice or bob is revoked and granted again at the auth service (invalidated at once, or within the target\'s bound) while their devices pull, stream and hold sockets: after a revocation nothing of the space written by others reaches them; after a grant its history does (SPACE-11)',
  // A run shows a lingering membership only when a revocation is followed by a co-member's write and
  // a read; each revocation the server is not told of waits out its membership cache.
  runsPerBudgetRun: 5,
  weights: { revoke: 1, 'untold-revoke': 3, grant: 1, write: 3, 'shared-write': 3, pull: 3, 'open-stream': 1, 'open-socket': 1, converge: 1 },
});
