// Robustness to misspecification: a share of the observed points is corrupted (replaced by gross
// outliers the model cannot produce). The MMD-based generalised posterior stays near the truth,
// because a bounded kernel gives far-away points bounded influence; the MSE-based one follows the
// outliers. Run: node dist/examples/contamination.js (see docs/robustness.md).
import { fileURLToPath } from 'node:url';

import { fit, models, priors, simulate, type FitResult } from '../lib/index.js';

export const truth = { mu: 1, sigma: 0.5 };
export const steps = 100;
/** Where corrupted points land: 20 noise standard deviations above the truth. */
export const outlier = truth.mu + 20 * truth.sigma;

const model = models.gaussianLocation({ steps });

/** Data simulated at the truth, with every k-th point (a share `share` of them) replaced by the outlier. */
export async function contaminatedData(share: number, seed = 1): Promise<number[]> {
  const sim = await simulate(model, truth, { seed, replicates: 1, dtype: 'float64' });
  const clean = Array.from({ length: steps }, (_, t) => sim.value(0, t + 1, 0));
  const every = share > 0 ? Math.round(1 / share) : Infinity;
  return clean.map((y, t) => ((t + 1) % every === 0 ? outlier : y));
}

/** The posterior of mu with the given loss; w defaults to the data-derived 1/n, or `weightFactor`/n. */
export async function fitMu(observed: number[], loss: 'mmd' | 'mse', weightFactor = 1): Promise<FitResult> {
  return fit(model, observed, {
    parameters: ['mu'],
    fixed: { sigma: truth.sigma },
    prior: { mu: priors.normal(0, 5) },
    loss,
    ...(weightFactor === 1 ? {} : { weight: weightFactor / observed.length }),
    epochs: 600,
    lr: 0.05,
    lrSchedule: 'cosine',
    samplesPerEpoch: 20,
    dtype: 'float64',
    seed: 1,
  });
}

export function summary(result: FitResult): { mean: number; q05: number; q95: number } {
  const [q05, , q95] = result.posterior.quantiles([0.05, 0.5, 0.95])['mu']!;
  return { mean: result.posterior.mean()['mu']!, q05: q05!, q95: q95! };
}

async function main(): Promise<void> {
  const rows: string[] = ['| corrupted | w | MMD: mean of mu [90% interval] | MSE: mean of mu [90% interval] |', '|---|---|---|---|'];
  for (const share of [0, 0.05, 0.1, 0.2]) {
    const observed = await contaminatedData(share);
    for (const factor of [1, 4, 16]) {
      const cell = async (loss: 'mmd' | 'mse') => {
        const s = summary(await fitMu(observed, loss, factor));
        return `${s.mean.toFixed(3)} [${s.q05.toFixed(3)}, ${s.q95.toFixed(3)}]`;
      };
      rows.push(`| ${(share * 100).toFixed(0)}% | ${factor}/n | ${await cell('mmd')} | ${await cell('mse')} |`);
    }
  }
  console.log(`truth mu = ${truth.mu}; corrupted points set to ${outlier}; ${steps} observations\n`);
  console.log(rows.join('\n'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
