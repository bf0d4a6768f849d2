import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'SSE-9',
  slug: 'model-co-members-live',
  description: 'devices hold SSE streams (of tasks and notes from the beginning, or of tasks from their pull cursor; cut in the middle of an event by the proxy and resumed with Last-Event-ID and their since) and WebSockets while co-members write: every stream delivers each change its user may read within the live bound, once, and every socket is notified (WS-8); the id a cut stream resumes from is a cursor right after its event (SSE-4), and the resume loses and repeats nothing (SSE-5)',
  // A run shows a missing live delivery only when a stream's owner is live and a co-member writes
  // into the space, and a wrong resume only when a stream opened from a cursor is then cut. Weights
  // and runs chosen by sampling these generators (4000 runs): a run holds the first in 15.7% and the
  // second in 17.4% (about 3 steps a run count: steps that need a stream are dropped without one),
  // so 30 runs meet each in 99.4% and 99.7% of searches; the other model checks also meet the first.
  runsPerBudgetRun: 10,
  weights: { 'shared-write': 5, batch: 1, 'open-stream': 7, 'close-stream': 1, 'cut-stream': 6, 'open-socket': 1, 'close-socket': 1, 'set-delay': 1 },
});
