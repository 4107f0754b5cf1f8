import test from 'ava';

import { models, simulate } from '../lib/index.js';
import { mean, stderr, strided } from './helpers.js';

const steps = 50;
const replicates = 400;

for (const p of [0.3, 0.6]) {
  test(`random walk at p = ${p}: mean of x(T) is T(2p - 1) within 4 standard errors`, async (t) => {
    const model = models.randomWalk({ agents: 100, steps });
    const sim = await simulate(model, { p }, { replicates, seed: 3, discrete: { mode: 'exact' } });
    const final = strided(sim.values, replicates, steps + 1, steps);
    const expected = steps * (2 * p - 1);
    t.true(Math.abs(mean(final) - expected) < 4 * stderr(final), `mean ${mean(final)} vs ${expected} ± ${stderr(final)}`);
    // Each step moves every walker by ±1, so the mean position moves by a multiple of 2/N.
    const halfSums = final.map((x) => (x * 100 + 100 * steps) / 2);
    t.true(halfSums.every((k) => Math.abs(k - Math.round(k)) < 1e-2));
  });

  test(`random walk at p = ${p}: the smoothed tangent of x(T) averages 2T within 4 standard errors`, async (t) => {
    const model = models.randomWalk({ agents: 100, steps });
    const sim = await simulate(model, { p }, { replicates, seed: 5, tangents: ['p'], discrete: { mode: 'smoothed' } });
    const final = strided(sim.tangents!, replicates, steps + 1, steps);
    t.true(Math.abs(mean(final) - 2 * steps) < 4 * stderr(final), `mean ${mean(final)} ± ${stderr(final)}`);
    t.true(stderr(final) > 0);
  });
}

test('random walk output starts at 0 and the tangent helpers index [replicate][time]', async (t) => {
  const model = models.randomWalk({ agents: 10, steps: 5 });
  const sim = await simulate(model, { p: 0.5 }, { replicates: 3, seed: 1, tangents: true, discrete: { mode: 'smoothed' } });
  t.deepEqual(sim.shape, { replicates: 3, times: 6, outputs: 1, tangents: 1 });
  t.is(sim.values.length, 18);
  t.is(sim.tangents!.length, 18);
  for (let r = 0; r < 3; r++) {
    t.is(sim.value(r, 0), 0);
    t.is(sim.tangent(r, 0, 'p'), 0);
    t.is(sim.value(r, 5), sim.values[r * 6 + 5]!);
    t.is(sim.tangent(r, 5, "p"), sim.tangents![r * 6 + 5]!);
  }
});
