import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'PULL-3',
  slug: 'model-exactly-once',
  description: 'six devices of alice, bob (co-members) and charlie write, push in batches, push several at once while another device reads (transactions that commit out of order), resend after lost answers and pull in pages of 1 to 3 that stop and resume; every chain of cursors delivers each visible change once, in log order, and nothing else',
  weights: { write: 5, batch: 2, concurrent: 2, 'lost-response': 2, pull: 5, converge: 1, revoke: 1, grant: 1 },
});
