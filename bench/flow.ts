// The cost of the normalizing-flow family against the diagonal Gaussian in the reference
// volatility setting (N = 1000, T = 100, 4 parameters, MMD, 10 variational samples per epoch): the
// median epoch of a fit, and the flow's own arithmetic per epoch (10 draws with their tapes, the
// loss's and the KL's pull-backs) timed apart from the simulator.
import { performance } from 'node:perf_hooks';

import { median } from '../lib/benchmark.js';
import { family as makeFamily, type FamilyName } from '../lib/gvi/family.js';
import { flowConfig, type FlowOptions } from '../lib/gvi/flow/options.js';
import { freeParameters } from '../lib/gvi/parameters.js';
import { fit, losses, models, priors, simulate } from '../lib/index.js';

export interface FlowRow {
  family: FamilyName;
  /** layers × bins × hidden for the flow. */
  shape: string | null;
  /** Length of φ. */
  parameters: number;
  /** Median seconds of one epoch, in milliseconds. */
  msPerEpoch: number;
  /** The family's own arithmetic per epoch (no simulation), in milliseconds. */
  familyMsPerEpoch: number;
  epochs: number;
}

const cases: Array<{ family: FamilyName; flow?: FlowOptions }> = [
  { family: 'diagonal-gaussian' },
  { family: 'full-rank-gaussian' },
  { family: 'flow', flow: { layers: 2, bins: 8, hidden: 8 } },
  { family: 'flow' },
];

// 10 draws, the loss's pull-back (a random cotangent) and the Monte Carlo KL's, as in one epoch.
function familyMs(name: FamilyName, flow: FlowOptions | undefined, repeats: number): number {
  const model = models.volatility();
  const names = model.parameters.map((p) => p.name);
  const params = freeParameters(model, names, priors.logNormal(0, 1));
  const f = makeFamily(name, names.length, name === 'flow' ? flowConfig(flow) : undefined);
  const phi = f.initialPhi([0, 0, 0, 0], [0.1, 0.1, 0.1, 0.1], 1);
  const z = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7) * 1.3);
  const gu = Float64Array.from([0.3, -0.2, 0.1, 0.05]);
  const times: number[] = [];
  for (let r = 0; r <= repeats; r++) {
    const start = performance.now();
    const gradient = new Float64Array(f.size);
    const draws = Array.from({ length: 10 }, (_, s) => f.draw(phi, z.subarray(4 * s, 4 * s + 4)));
    for (const d of draws) f.accumulatePathGradient(phi, d, gu, 0.1, gradient);
    f.kl(params, 0.01, phi, draws, gradient);
    if (r > 0) times.push(performance.now() - start);
  }
  return median(times);
}

export async function flowRows(options: { quick: boolean; backend: 'cpu' | 'cuda' | 'auto' }): Promise<FlowRow[]> {
  const model = models.volatility();
  const observed = Array.from((await simulate(model, model.reference, { seed: 12345, backend: options.backend })).values.subarray(1));
  const loss = losses.mmd(observed);
  // The families take turns, round after round, so that a change in the machine's load reaches all.
  const epochs = options.quick ? 6 : 21;
  const rounds = options.quick ? 2 : 5;
  const times: number[][] = cases.map(() => []);
  const sizes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of cases.entries()) {
      const result = await fit(model, observed, {
        loss, weight: 0.01, samplesPerEpoch: 10, epochs, lr: 0.05, seed: 1 + round, backend: options.backend, prior: priors.logNormal(0, 1),
        family: c.family, ...(c.flow ? { flow: c.flow } : {}),
      });
      times[i]!.push(...result.history.slice(1).map((h) => h.seconds * 1000));
      sizes[i] = result.posterior.phi.length;
    }
  }
  return cases.map((c, i) => {
    const config = c.family === 'flow' ? flowConfig(c.flow) : null;
    return {
      family: c.family,
      shape: config && `${config.layers} × ${config.bins} × ${config.hidden}`,
      parameters: sizes[i]!,
      msPerEpoch: median(times[i]!),
      familyMsPerEpoch: familyMs(c.family, c.flow, options.quick ? 50 : 500),
      epochs: times[i]!.length,
    };
  });
}

export function flowMarkdown(rows: FlowRow[]): string {
  const base = rows.find((r) => r.family === 'diagonal-gaussian');
  return [
    '| family (volatility, N = 1000, T = 100, 10 samples, MMD) | layers × bins × hidden | length of φ | median ms / epoch | × diagonal | family arithmetic ms / epoch | epochs |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.family} | ${r.shape ?? '—'} | ${r.parameters} | ${r.msPerEpoch.toFixed(1)} | ${base ? (r.msPerEpoch / base.msPerEpoch).toFixed(2) : '—'} | ` +
      `${r.familyMsPerEpoch.toFixed(3)} | ${r.epochs} |`),
  ].join('\n');
}
