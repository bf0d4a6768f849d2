import type { BenchConfig } from './bench-config.js';
import type { BenchTarget } from './bench-target.js';
import type { Figure } from './figure.js';
import { percentile } from './percentiles.js';
import { deviceOf, insertChanges, pull, push, type Device } from './sync-requests.js';

// Figure 5: an open-loop, fixed-rate mix of pushes (one change) and pulls (from the device's own
// cursor), half each, from many devices. Latency counts from when a request was due, not when it
// was sent, so that a server that falls behind is not flattered (no coordinated omission).

const APP_ID = 'bench-load';
const DEVICES = 50;
const REFERENCE_RATE = 200;
/** Tried in order when the reference rate already misses the bound. */
const LOWER_RATES = [100, 50, 25, 10];
const P95_BOUND_MS = 50;
/** More requests in flight than this and the step has failed: the server no longer keeps up. */
const MAX_IN_FLIGHT = 1000;

interface Step {
  readonly rate: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errors: number;
  readonly overloaded: boolean;
}

async function runStep(target: BenchTarget, devices: readonly Device[], cursors: string[], rate: number, seconds: number): Promise<Step> {
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  let overloaded = false;
  const pending: Promise<void>[] = [];
  const fire = (index: number, dueMs: number) => {
    const slot = index % devices.length;
    const device = devices[slot]!;
    inFlight++;
    const work =
      index % 2 === 0
        ? push(target, APP_ID, device, insertChanges(device.userId, 1), cursors[slot]!).then((response) => void (cursors[slot] = response.syncedUntil))
        : pull(target, APP_ID, device, 'tasks', cursors[slot]!).then(() => undefined);
    pending.push(
      work.then(
        () => void latencies.push(performance.now() - dueMs),
        () => void errors++,
      ).finally(() => inFlight--),
    );
  };
  const startMs = performance.now() + 5;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && startMs + next * intervalMs <= now) {
        fire(next, startMs + next * intervalMs);
        next++;
      }
      if (inFlight > MAX_IN_FLIGHT) overloaded = true;
      if (next >= total || overloaded) return resolve();
      setTimeout(tick, Math.max(0, startMs + next * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  return { rate, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), errors, overloaded };
}

const passes = (step: Step) => !step.overloaded && step.errors === 0 && step.p95 < P95_BOUND_MS;

export async function runLoad(target: BenchTarget, config: BenchConfig): Promise<Figure[]> {
  const run = crypto.randomUUID().slice(0, 8);
  const devices = await Promise.all(Array.from({ length: DEVICES }, (_, index) => deviceOf(target, `load-${run}-${index}`)));
  const cursors = await Promise.all(devices.map(async (device) => (await push(target, APP_ID, device, [], '')).syncedUntil));
  // A short warm-up, not counted.
  await runStep(target, devices, cursors, REFERENCE_RATE, Math.min(1, config.loadSeconds));
  const reference = await runStep(target, devices, cursors, REFERENCE_RATE, config.loadSeconds);
  const log = (step: Step) => process.stderr.write(`  load ${step.rate} req/s: p50 ${step.p50.toFixed(1)} p95 ${step.p95.toFixed(1)} p99 ${step.p99.toFixed(1)} ms, ${step.errors} errors${step.overloaded ? ', overloaded' : ''}\n`);
  log(reference);
  let best = passes(reference) ? reference : undefined;
  let firstFailing: number | undefined = best === undefined ? REFERENCE_RATE : undefined;
  // Upwards from the reference rate while it passes; downwards (halving) when it did not.
  const rates = best === undefined ? LOWER_RATES : config.loadRates;
  for (const rate of rates) {
    const step = await runStep(target, devices, cursors, rate, config.loadSeconds);
    log(step);
    if (best === undefined) {
      if (passes(step)) {
        best = step;
        break;
      }
      firstFailing = rate;
      continue;
    }
    if (!passes(step)) {
      firstFailing = rate;
      break;
    }
    best = step;
  }
  // One bisection step between the last rate that passed and the first that did not.
  if (best !== undefined && firstFailing !== undefined) {
    const step = await runStep(target, devices, cursors, Math.round((best.rate + firstFailing) / 2), config.loadSeconds);
    log(step);
    if (passes(step)) best = step;
  }
  const note = `open loop, half push (1 change) half pull, ${DEVICES} devices, ${config.loadSeconds} s per rate`;
  return [
    { name: 'load_p95_at_200_rps', value: reference.p95, unit: 'ms', target: { kind: 'at-most', value: 500 }, database: 'PostgreSQL', note: `${note}; p50 ${reference.p50.toFixed(1)}, p99 ${reference.p99.toFixed(1)} ms; target: the first server's threshold` },
    {
      name: 'load_max_rate_p95_under_50ms',
      value: best?.rate ?? 0,
      unit: 'req/s',
      database: 'PostgreSQL',
      note: `${note}; ${best === undefined ? 'no rate passed' : `p95 ${best.p95.toFixed(1)} ms there`}${firstFailing === undefined ? '; highest rate tried passed' : `; ${firstFailing} req/s did not`}`,
    },
  ];
}
