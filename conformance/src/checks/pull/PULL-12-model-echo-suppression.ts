import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'PULL-12',
  slug: 'model-echo-suppression',
  description: 'every user\'s devices share the client ids laptop and phone; they write and pull, stream and connect: no push delta, pull, stream or socket relays a writer\'s own change back to it, and every other writer\'s change arrives',
  weights: { write: 5, pull: 3, converge: 1, 'open-stream': 2, 'close-stream': 1, 'open-socket': 2, 'close-socket': 1 },
});
