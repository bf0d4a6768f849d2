import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'PUSH-8',
  slug: 'model-retry-and-atomicity',
  description: 'the fault proxy drops push answers after the server committed and the devices resend the same pushId; batches with a refused change are pushed: each resend is answered replayed with the original count and stored once, a refused batch stores nothing (PUSH-6)',
  weights: { 'lost-response': 5, batch: 3, write: 2, pull: 3, 'open-stream': 1, 'open-socket': 1, 'set-delay': 1 },
});
