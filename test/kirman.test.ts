// Kirman's ants, the example of the issue that introduced defineModel, as written there (the model
// is examples/kirmanAnts.ts): define, simulate with straight-through tangents, observe at
// (0.02, 0.2), fit by MMD for 200 epochs. Then what its numbers must be: shapes, the share in
// [0, 1], tangents against finite differences, the fit; and draws inside a for loop.
//
// Found while writing these tests (numbers in the tests): as written, the example's first
// simulate rejects. Straight-through tangents grow exponentially along the 500 steps of this
// model (about e^0.18 per step at tau = 0.5: the relaxed draw's slope is up to 1 / (tau p (1 - p))
// with p near 0.01 to 0.3) and overflow float32 at step 468 in 62 of the 64 x 501 x 2 tangents.
// The rest of the example runs.
import test from 'ava';

import { defineModel, simulate, fit } from '../lib/index.js';
import { kirmanAnts } from '../examples/kirmanAnts.js';
import { checkTangents, mean, stderr } from './helpers.js';

const truth = { epsilon: 0.02, h: 0.2 };

/** Every value is a whole number of ants out of 100, so a share in [0, 1]. */
function sharesOfAnts(values: ArrayLike<number>): boolean {
  return Array.from(values).every((x) => x >= 0 && x <= 1 && Math.abs(x * 100 - Math.round(x * 100)) < 1e-4);
}

test.failing('the issue\'s example runs as written (known failure: its straight-through tangents overflow float32)', async (t) => {
  const model = kirmanAnts();
  const sim = await simulate(model, { epsilon: 0.01, h: 0.3 }, {
    replicates: 64, seed: 1, tangents: true, discrete: { mode: 'straight-through', tau: 0.5 } });
  const observed = (await simulate(model, { epsilon: 0.02, h: 0.2 }, { replicates: 1, seed: 7 })).values;
  const result = await fit(model, observed, { loss: 'mmd', epochs: 200, seed: 1 });
  t.deepEqual(sim.shape, { replicates: 64, times: 501, outputs: 1, tangents: 2 });
  t.true(Array.from(sim.tangents!).every(Number.isFinite));
  t.is(result.epochs, 200);
});

test('the example\'s simulate: shapes, shares, and straight-through tangents that grow until float32 overflows', async (t) => {
  const model = kirmanAnts();
  const options = { replicates: 64, seed: 1, tangents: true, discrete: { mode: 'straight-through', tau: 0.5 } } as const;
  // As written: rejected, naming the cause and the ways out.
  await t.throwsAsync(simulate(model, { epsilon: 0.01, h: 0.3 }, options), {
    instanceOf: RangeError,
    message: /the simulation produced 62 NaN or infinite numbers \(tangents from step 468 of 500\): they overflow float32 arithmetic; try dtype 'float64', or a smaller tau or another estimator .*or fewer steps \(or pass nonFinite: 'keep' to receive them\)/s,
  });
  const sim = await simulate(model, { epsilon: 0.01, h: 0.3 }, { ...options, nonFinite: 'keep' });
  t.deepEqual(sim.shape, { replicates: 64, times: 501, outputs: 1, tangents: 2 });
  t.deepEqual(sim.tangentNames, ['epsilon', 'h']);
  t.deepEqual(sim.outputNames, ['share']);
  t.true(sim.values instanceof Float32Array);
  t.is(sim.values.length, 64 * 501);
  t.is(sim.tangents!.length, 64 * 501 * 2);
  t.true(sharesOfAnts(sim.values), 'straight-through values are exact draws: whole ants');
  t.is(sim.nonFinite, 62);
  // The non-finite numbers are all tangents of the last 33 steps; before them every tangent is finite.
  const largest: number[] = [];
  let firstNonFinite = Infinity;
  for (let time = 0; time <= 500; time++) {
    let m = 0;
    for (let r = 0; r < 64; r++) {
      for (const name of ['epsilon', 'h']) {
        const x = sim.tangent(r, time, name);
        if (Number.isFinite(x)) m = Math.max(m, Math.abs(x));
        else firstNonFinite = Math.min(firstNonFinite, time);
      }
    }
    largest.push(m);
  }
  t.is(firstNonFinite, 468);
  t.true(Array.from(sim.values).every(Number.isFinite));
  t.is(largest[0], 0, 'the initial draws do not depend on the parameters');
  t.true(largest[1]! > 0, 'the first step carries tangents');
  // Exponential growth: about a factor e^0.18 per step (seen: 16 at step 10, 4e10 at 100, 2e28 at 400).
  t.true(largest[10]! < 1e3 && largest[100]! > 1e8 && largest[400]! > 1e25, `max |tangent| ${largest[10]}, ${largest[100]}, ${largest[400]}`);
  // In float64 the same tangents stay finite (and are not all zero), reaching ~1e40.
  const wide = await simulate(model, { epsilon: 0.01, h: 0.3 }, { ...options, dtype: 'float64' });
  t.is(wide.nonFinite, 0);
  t.true(Array.from(wide.tangents!).every(Number.isFinite));
  t.true(Array.from(wide.tangents!).some((x) => x !== 0));
  t.true(sharesOfAnts(wide.values));
});

test('the example\'s data and fit: observed at (0.02, 0.2), MMD for 200 epochs from the prior', async (t) => {
  const model = kirmanAnts();
  const observed = (await simulate(model, { epsilon: 0.02, h: 0.2 }, { replicates: 1, seed: 7 })).values;
  const result = await fit(model, observed, { loss: 'mmd', epochs: 200, seed: 1 });
  t.is(result.weight.value, 1 / 501, 'the data-derived weight: 501 observed points');
  t.is(observed.length, 501, 'steps + 1 rows: compared with t = 0..T');
  t.true(sharesOfAnts(observed));
  t.is(result.epochs, 200);
  t.is(result.history.length, 200);
  t.false(result.aborted);
  t.true(result.history.every((h) => Number.isFinite(h.loss) && Number.isFinite(h.gradientNorm) && h.droppedSamples === 0));
  const quantiles = result.posterior.quantiles([0.05, 0.5, 0.95]);
  for (const name of ['epsilon', 'h']) {
    const [low, median, high] = quantiles[name]!;
    t.true(low! > 0 && low! < median! && median! < high! && high! < 1, `${name}: ${quantiles[name]}`);
  }
  // The fit starts at the prior median (0.5, 0.5) (uniform priors, lr 0.01) and its straight-through
  // gradients through 500 steps, biased and of size up to 1e22, decide little (see the tests below):
  // with the default full-rank family it drifts away from the truth at this seed (posterior means
  // 0.543, 0.542); with the diagonal family it moves toward it, by 0.034 and 0.035.
  const mean0 = result.posterior.mean();
  t.true(mean0['epsilon']! > 0.5 && mean0['h']! > 0.5, `default family: posterior mean ${JSON.stringify(mean0)}`);
  const diagonal = await fit(model, observed, { loss: 'mmd', epochs: 200, seed: 1, family: 'diagonal-gaussian' });
  const start = { epsilon: 0.5, h: 0.5 };
  const mean = diagonal.posterior.mean();
  const distance = (p: Record<string, number>) => Math.hypot(p['epsilon']! - truth.epsilon, p['h']! - truth.h);
  t.true(mean['epsilon']! < start.epsilon && mean['h']! < start.h, `posterior mean ${JSON.stringify(mean)}`);
  t.true(distance(mean) < distance(start), `distance to the truth ${distance(mean)} vs ${distance(start)} at the start`);
  const medians = diagonal.posterior.quantiles([0.5]);
  t.true(medians['epsilon']![0]! < 0.47 && medians['h']![0]! < 0.47, `medians ${medians['epsilon']}, ${medians['h']}`);
});

// ---------------------------------------------------------------------------------------------
// Tangents against finite differences. The model is symmetric under choice <-> 1 - choice and
// starts from Bernoulli(1/2) choices, so E[share(t)] = 1/2 for every t and every parameter:
// d E[share(T)] / d epsilon = 0, which finite differences and the tangents must both give. The
// spread E[(share(T) - 1/2)^2] depends on epsilon (switching undoes herding), and there
// straight-through's bias shows. Over 10 steps, where straight-through tangents are still of
// moderate size (up to ~20).

const steps = 10;
const short = kirmanAnts({ steps });
const replicates = 20000;
const fdStep = 0.005;

/** Per replicate: central differences in epsilon of share(T) and of (share(T) - 1/2)^2, exact draws, common random numbers. */
async function finiteDifferences(): Promise<{ share: number[]; spread: number[] }> {
  const options = { replicates, seed: 3, dtype: 'float64', discrete: { mode: 'exact' } } as const;
  const [plus, minus] = await Promise.all([
    simulate(short, { epsilon: 0.01 + fdStep, h: 0.3 }, options),
    simulate(short, { epsilon: 0.01 - fdStep, h: 0.3 }, options),
  ]);
  const at = (sim: typeof plus, r: number) => sim.value(r, steps);
  const spread = (x: number) => (x - 0.5) ** 2;
  return {
    share: Array.from({ length: replicates }, (_, r) => (at(plus, r) - at(minus, r)) / (2 * fdStep)),
    spread: Array.from({ length: replicates }, (_, r) => (spread(at(plus, r)) - spread(at(minus, r))) / (2 * fdStep)),
  };
}

/** Per replicate: the tangent in epsilon of share(T) and of (share(T) - 1/2)^2, in `mode`. */
async function tangents(mode: 'straight-through' | 'relaxed', tau: number): Promise<{ share: number[]; spread: number[] }> {
  const sim = await simulate(short, { epsilon: 0.01, h: 0.3 }, { replicates, seed: 5, tangents: ['epsilon'], dtype: 'float64', discrete: { mode, tau } });
  const share = Array.from({ length: replicates }, (_, r) => sim.tangent(r, steps, 'epsilon'));
  return { share, spread: share.map((d, r) => 2 * (sim.value(r, steps) - 0.5) * d) };
}

test('d E[share(T)]/d epsilon: finite differences and the straight-through tangent mean agree within their standard errors (both 0 by symmetry)', async (t) => {
  const fd = await finiteDifferences();
  const st = await tangents('straight-through', 0.5);
  const budget = 4 * Math.hypot(stderr(fd.share), stderr(st.share));
  t.true(stderr(st.share) > 0 && stderr(fd.share) > 0);
  t.true(Math.abs(mean(fd.share) - mean(st.share)) < budget, `finite differences ${mean(fd.share)} ± ${stderr(fd.share)}, straight-through ${mean(st.share)} ± ${stderr(st.share)}`);
  t.true(Math.abs(mean(fd.share)) < 4 * stderr(fd.share), `finite differences ${mean(fd.share)} ± ${stderr(fd.share)} vs 0`);
  t.true(Math.abs(mean(st.share)) < 4 * stderr(st.share), `straight-through ${mean(st.share)} ± ${stderr(st.share)} vs 0`);
  t.true(st.share.every(Number.isFinite) && st.share.some((x) => x !== 0));
});

test('d E[(share(T) - 1/2)^2]/d epsilon: negative by finite differences; straight-through (tau 0.5) overstates it more than twofold', async (t) => {
  const fd = await finiteDifferences();
  const st = await tangents('straight-through', 0.5);
  // Seen: finite differences -0.187 ± 0.008, straight-through -0.884 ± 0.011.
  t.true(mean(fd.spread) < -4 * stderr(fd.spread), `finite differences ${mean(fd.spread)} ± ${stderr(fd.spread)}`);
  t.true(mean(st.spread) + 4 * stderr(st.spread) < 2 * (mean(fd.spread) - 4 * stderr(fd.spread)),
    `straight-through ${mean(st.spread)} ± ${stderr(st.spread)} vs finite differences ${mean(fd.spread)} ± ${stderr(fd.spread)}`);
});

test('relaxed (tau 0.5, float64): every replicate\'s tangents of epsilon and h equal central differences of the relaxed model with common random numbers', async (t) => {
  const theta = { epsilon: 0.01, h: 0.3 };
  const options = { replicates: 8, seed: 9, dtype: 'float64' as const, discrete: { mode: 'relaxed' as const, tau: 0.5 } };
  const checks = await checkTangents(short, theta, ['epsilon', 'h'], options, (name) => 1e-6 * theta[name as keyof typeof theta]);
  for (const { name, scale, worst } of checks) {
    t.true(scale > 1e-2, `${name}: the shares depend on it (${scale})`);
    t.true(worst < 1e-4, `${name}: worst relative error ${worst}`);
  }
});

// ---------------------------------------------------------------------------------------------
// A draw inside a for loop of k iterations is k independent draws.

const uniformSums = defineModel({
  name: 'uniformSums',
  parameters: { scale: { constraint: 'positive', reference: 1 } },
  settings: { agents: 20000, steps: 1, k: { default: 7, min: 0, max: 100, integer: true } },
  outputs: ['total', 'square', 'product', 'repeats'],
  init(m) {
    m.output({ total: 0, square: 0, product: 0, repeats: 0 });
  },
  step(m) {
    // Per agent: the sum of k uniforms, its square, the product of the first two draws, and how
    // many draws equal the one before.
    const totals = m.sum((_agent) => {
      let total = 0;
      let previous = -1;
      let first = 0;
      let second = 0;
      let repeats = 0;
      for (let i = 0; i < m.settings.k; i++) {
        const u = m.params.scale * m.uniform();
        total += u;
        repeats += u === previous ? 1 : 0;
        previous = u;
        if (i === 0) first = u;
        if (i === 1) second = u;
      }
      return { total, square: total * total, product: first * second, repeats };
    });
    m.output({ total: totals.total, square: totals.square, product: totals.product, repeats: totals.repeats });
  },
});

test('a draw in a for loop of k iterations gives k independent uniforms: per agent mean k/2, variance k/12, E[u1 u2] = 1/4, no repeats', async (t) => {
  const k = 7;
  const n = 20000;
  const sim = await simulate(uniformSums({ k }), { scale: 1 }, { seed: 4, dtype: 'float64' });
  const [total, square, product, repeats] = [0, 1, 2, 3].map((o) => sim.value(0, 1, o)) as [number, number, number, number];
  const sampleMean = total / n;
  const variance = (square - n * sampleMean ** 2) / (n - 1);
  const sigma2 = k / 12;
  // Irwin–Hall: kurtosis 3 - 6 / (5k), so the sample variance has standard error sigma² sqrt((2 - 6/(5k)) / n).
  const varianceError = sigma2 * Math.sqrt((2 - 6 / (5 * k)) / n);
  t.true(Math.abs(sampleMean - k / 2) < 4 * Math.sqrt(sigma2 / n), `mean ${sampleMean} vs ${k / 2}`);
  t.true(Math.abs(variance - sigma2) < 4 * varianceError, `variance ${variance} vs ${sigma2} ± ${varianceError} (k identical draws would give ${k * k / 12})`);
  // u1 u2 has variance 1/9 - 1/16 = 7/144 when the two are independent.
  t.true(Math.abs(product / n - 0.25) < 4 * Math.sqrt(7 / 144 / n), `E[u1 u2] ${product / n} vs 1/4`);
  t.is(repeats, 0, 'no draw equals the one of the iteration before');
  // The same model at k = 1: one draw, variance 1/12.
  const one = await simulate(uniformSums({ k: 1 }), { scale: 1 }, { seed: 4, dtype: 'float64' });
  const oneMean = one.value(0, 1, 0) / n;
  const oneVariance = (one.value(0, 1, 1) - n * oneMean ** 2) / (n - 1);
  t.true(Math.abs(oneVariance - 1 / 12) < 4 * (1 / 12) * Math.sqrt((2 - 6 / 5) / n), `k = 1: variance ${oneVariance}`);
  t.is(one.value(0, 1, 2), 0, 'k = 1 has no second draw: its product stays 0');
});
