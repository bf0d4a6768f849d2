import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'LWW-8',
  slug: 'model-convergence-ties-and-skew',
  description: 'devices with skewed clocks write the same fields of the same tasks, one at a time and several at once, with stamps from a narrow range (exact ties of instant and counter between writers included): every relayed stamp is unchanged, and each replica merged under the total order converges to the model',
  weights: { write: 6, 'set-clock': 2, batch: 1, concurrent: 2, pull: 2, converge: 3 },
});
