import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'SSE-9',
  slug: 'model-co-members-live',
  description: 'devices hold SSE streams (cut in the middle of an event by the proxy and resumed with Last-Event-ID) and WebSockets while co-members write: every stream delivers each change its user may read within the live bound, once, and every socket is notified (WS-8)',
  // A run shows a missing live delivery only when a stream's owner and a co-member both act in it.
  runsPerBudgetRun: 6,
  weights: { write: 3, 'shared-write': 3, batch: 1, 'open-stream': 3, 'close-stream': 1, 'cut-stream': 3, 'open-socket': 2, 'close-socket': 1, 'set-delay': 1 },
});
