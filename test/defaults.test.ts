// Defaults that calibrate: fit's default loss weight is derived from the data (w = 1/n), so that
// fit(model, observed) with no tuning gives a posterior informed by the data.
import test from 'ava';

import { fit, losses, models, simulate, type Loss } from '../lib/index.js';
import { defaultWeight } from '../lib/gvi/weight.js';

const series = Array.from({ length: 50 }, (_, i) => Math.sin(i / 3));
const rows = series.map((y) => [y, 2 * y]);

test('the default weight is 1/n for n observed points, 2/n for logMse, and 1 for a loss that does not say', (t) => {
  t.is(defaultWeight(losses.mmd(series)).value, 1 / 50);
  t.is(defaultWeight(losses.energyDistance(rows)).value, 1 / 50);
  t.is(defaultWeight(losses.mmd(series, { lags: 2 })).value, 1 / 48);
  t.is(defaultWeight(losses.mse(rows)).value, 1 / 100);
  t.is(defaultWeight(losses.logMse(rows)).value, 2 / 100);
  t.regex(defaultWeight(losses.logMse(rows)).reason, /profiled out/);
  const custom: Loss = { name: 'mine', evaluate: () => ({ value: 0, gradient: new Float64Array(0) }) };
  t.deepEqual(defaultWeight(custom).value, 1);
  t.regex(defaultWeight(custom).reason, /does not say how many observations/);
  t.is(defaultWeight({ ...custom, observations: 8 }).value, 1 / 8);
  t.throws(() => defaultWeight({ ...custom, observations: 0 }), { instanceOf: RangeError, message: /loss.observations must be an integer >= 1, got 0/ });
});

// A truth other than the reference (σε 1, η 0.7): σε 1.5, η 0.5. With the old default w = 1 the KL term outweighs
// an MMD² that is at most 2 and the posterior stays at the logNormal(0, 1) prior (η near 1.6).
const model = models.volatility();
const truth: Record<string, number> = { ...model.reference, sigmaEps: 1.5, eta: 0.5 };

async function observedAt(seed: number): Promise<number[]> {
  const sim = await simulate(model, truth, { seed, replicates: 1, discrete: { mode: 'exact' } });
  return Array.from({ length: model.steps }, (_, t) => sim.value(0, t + 1, 0));
}

for (const seed of [1, 2, 3]) {
  test(`fit() with default options recovers sigmaEps and eta within 15% (data seed ${seed})`, async (t) => {
    const result = await fit(model, await observedAt(seed));
    t.is(result.weight.value, 1 / 100);
    t.regex(result.weight.reason, /1\/n = 1\/100/);
    const mean = result.posterior.mean();
    const q = result.posterior.quantiles([0.05, 0.95]);
    for (const name of ['sigmaEps', 'eta']) {
      const error = mean[name]! / truth[name]! - 1;
      t.true(Math.abs(error) < 0.15, `${name}: mean ${mean[name]} vs truth ${truth[name]} (${(100 * error).toFixed(1)}%)`);
      t.true(q[name]![0]! < truth[name]! && truth[name]! < q[name]![1]!, `${name}: 90% interval ${q[name]}`);
    }
  });
}

test('with w = 1 the same fit returns essentially the prior (the test above fails for it)', async (t) => {
  const result = await fit(model, await observedAt(1), { weight: 1 });
  t.is(result.weight.reason, 'given');
  const eta = result.posterior.mean()['eta']!;
  t.true(Math.abs(eta / truth['eta']! - 1) > 1, `eta ${eta}: near the prior mean 1.65, far from ${truth['eta']}`);
});
