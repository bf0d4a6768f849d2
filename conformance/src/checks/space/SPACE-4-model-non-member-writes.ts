import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'SPACE-4',
  slug: 'model-non-member-writes',
  description: 'every device writes into the shared space, its personal space or no named space, alone and in batches, also after a revocation: writes of non-members and into foreign spaces are refused whole (403/409) and never reach a reader',
  weights: { write: 6, batch: 3, pull: 3, revoke: 1, grant: 1, converge: 1 },
});
