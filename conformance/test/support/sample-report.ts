import { requirement } from '../../../spec/src/requirements.js';
import type { RunReport } from '../../src/run-report.js';
import { computeVerdicts, countVerdicts, runFails, summaryLine } from '../../src/verdicts.js';
import { failureOf, outcome } from './outcomes.js';

/** A finished run with one verdict of each kind, as the reporters receive it. */
export function sampleReport(strict = false): RunReport {
  const ids = ['PUSH-6', 'PUSH-8', 'ERR-1', 'ERR-3', 'OPS-3', 'AUTH-7', 'PULL-3', 'PULL-5'] as const;
  const requirements = ids.map((id) => requirement(id));
  const outcomes = [
    outcome('PUSH-6', 'failed', { stoppedBy: failureOf('PUSH-6', '2 changes stored <after> a "refused" push & more') }),
    outcome('PUSH-8', 'failed', { failures: [failureOf('ERR-1', 'Content-Type text/plain')] }),
    outcome('ERR-3', 'failed', { failures: [failureOf('ERR-3')] }),
    outcome('OPS-3', 'not-checkable', { reason: '/metrics is restricted (OPS-4): 403' }),
    outcome('PULL-3', 'passed'),
    outcome('PULL-5', 'failed', { stoppedBy: failureOf('PULL-5') }),
  ];
  const expectations = new Map([['PULL-5', { reason: 'pages not yet', link: 'https://tracker.example.test/5' }]]);
  const verdicts = computeVerdicts({ requirements, outcomes, deselected: new Set(), expectations });
  const counts = countVerdicts(verdicts);
  return {
    run: {
      target: 'http://127.0.0.1:3050',
      targetKind: 'external',
      seed: 7,
      strict,
      only: [],
      skip: [],
      startedAt: '2026-11-23T03:00:00.000Z',
      finishedAt: '2026-11-23T03:00:02.000Z',
      durationMs: 2000,
      versions: { suite: '0.1.0', protocol: 'mana-sync/1', node: 'v20.20.0', server: '1.0.0' },
      scope: 'server requirements only',
    },
    counts,
    summary: summaryLine(counts, strict),
    passed: !runFails(verdicts, strict),
    requirements: verdicts.map((v) => {
      const r = requirement(v.id);
      return { ...v, area: r.area, title: r.title, text: r.text, specLink: `../spec/protocol.md#${r.anchor}`, checks: outcomes.filter((o) => o.requirement === v.id) };
    }),
  };
}
