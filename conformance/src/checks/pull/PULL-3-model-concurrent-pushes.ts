import { propertyCheck } from '../../../properties/property-check.js';

// A cursor that passes a transaction which commits later loses it (Appendix C): only pushes sent at
// once, one of them large enough to stay open while smaller ones commit, with a reader pulling in
// between, can show that from outside the server.
export const check = propertyCheck({
  requirement: 'PULL-3',
  slug: 'model-concurrent-pushes',
  description:
    'two or three devices push at once, some with hundreds of new tasks (transactions that commit in another order than they began), while a fourth pulls page after page until every push is answered: its chain of cursors, every push delta and every replica still hold each visible change exactly once',
  weights: { concurrent: 10, write: 1, pull: 1, converge: 1 },
  // Each run is a few rounds of pushes; the interleaving that shows the bug needs a few tries.
  runsPerBudgetRun: 4,
});
