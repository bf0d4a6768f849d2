import { propertyCheck } from '../../../properties/property-check.js';

export const check = propertyCheck({
  requirement: 'SPACE-12',
  slug: 'model-outsider-learns-nothing',
  description: 'alice and bob write personal and shared tasks while charlie, the outsider, writes his own, pulls, streams and holds sockets, and devices open sockets that never authenticate: charlie never receives a change, notification or table of their spaces over any transport; a socket of nobody is told nothing and is closed 1008 AUTH_TIMEOUT at the deadline (WS-3)',
  // A socket of nobody costs a wait for the target's deadline when the run settles; two runs per budget run find it.
  runsPerBudgetRun: 2,
  weights: { write: 6, batch: 1, pull: 3, 'open-stream': 2, 'cut-stream': 1, 'open-socket': 2, 'close-socket': 1, 'close-stream': 1, 'silent-socket': 3 },
});
