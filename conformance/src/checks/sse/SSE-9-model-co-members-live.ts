import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'SSE-9',
  slug: 'model-co-members-live',
  description: 'devices hold SSE streams (of tasks and notes from the beginning, or of tasks from their pull cursor; cut in the middle of an event by the proxy and resumed with Last-Event-ID and their since) and WebSockets while co-members write: every stream delivers each change its user may read within the live bound, once, and every socket is notified (WS-8); the id a cut stream resumes from is a cursor right after its event (SSE-4), and the resume loses and repeats nothing (SSE-5)',
  // A run shows a missing live delivery only when a stream's owner and a co-member both act in it,
  // and a wrong resume only when a stream of the right kind is opened and then cut.
  runsPerBudgetRun: 8,
  weights: { write: 2, 'shared-write': 2, batch: 1, 'open-stream': 4, 'close-stream': 1, 'cut-stream': 5, 'open-socket': 2, 'close-socket': 1, 'set-delay': 1 },
});
