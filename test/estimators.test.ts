import test from 'ava';

import { gradient, losses, models, simulate, type Loss } from '../lib/index.js';
import { finalValue, strided } from './helpers.js';


function within(t: import('ava').ExecutionContext, estimate: number, stderr: number, truth: number, label: string) {
  t.true(Number.isFinite(stderr) && stderr > 0, `${label}: stderr ${stderr}`);
  t.true(Math.abs(estimate - truth) < 4 * stderr, `${label}: ${estimate} ± ${stderr} vs ${truth}`);
}

const T = 50;
const walk = models.randomWalk({ agents: 100, steps: T });

for (const [estimator, mode] of [['pathwise', 'smoothed'], ['score', 'exact'], ['finite-difference', 'exact']] as const) {
  test(`random walk dE[x(T)]/dp = 2T by ${estimator}${estimator === 'pathwise' ? ` (${mode})` : ''}`, async (t) => {
    const g = await gradient(walk, { p: 0.6 }, { loss: finalValue, estimator, replicates: 2000, seed: 1, discrete: { mode } });
    within(t, g.grad['p']!, g.stderr['p']!, 2 * T, estimator);
    t.is(g.dropped, 0);
    t.is(g.replicates, 2000);
    t.true(Math.abs(g.value - T * 0.2) < 4 * g.valueStderr);
  });
}

// Straight-through and relaxed tangents average the logistic density at -logit p smoothed by a
// logistic kernel of scale τ: too low near p = 1/2, too high in the tails.
for (const mode of ['straight-through', 'relaxed'] as const) {
  test(`random walk: ${mode} is biased low at p = 0.6 and high at p = 0.02 (τ = 1)`, async (t) => {
    const options = { loss: finalValue, replicates: 1000, seed: 2, discrete: { mode, tau: 1 } };
    const middle = await gradient(walk, { p: 0.6 }, options);
    t.true(middle.grad['p']! < 2 * T - 4 * middle.stderr['p']!, `p = 0.6: ${middle.grad['p']} ± ${middle.stderr['p']}`);
    const tail = await gradient(walk, { p: 0.02 }, options);
    t.true(tail.grad['p']! > 2 * T + 4 * tail.stderr['p']!, `p = 0.02: ${tail.grad['p']} ± ${tail.stderr['p']}`);
  });
}

const bernoulliSum = models.bernoulliSum();
for (const [estimator, mode] of [['pathwise', 'smoothed'], ['score', 'exact'], ['finite-difference', 'exact']] as const) {
  test(`bernoulliSum dE[x]/dθ = 7 by ${estimator}`, async (t) => {
    const g = await gradient(bernoulliSum, { theta: 0.2 }, { loss: finalValue, estimator, replicates: 40000, seed: 3, discrete: { mode }, dtype: 'float64' });
    within(t, g.grad['theta']!, g.stderr['theta']!, 7, estimator);
  });
}

const gaussianShift = models.gaussianShift();
for (const estimator of ['pathwise', 'score', 'finite-difference'] as const) {
  test(`gaussianShift dE[y]/dθ = 28 at θ = 2 by ${estimator}`, async (t) => {
    const g = await gradient(gaussianShift, { theta: 2 }, { loss: finalValue, estimator, replicates: 20000, seed: 4, dtype: 'float64' });
    within(t, g.grad['theta']!, g.stderr['theta']!, 28, estimator);
  });
}

test('gaussianShift: the pathwise derivative of each sample is exactly 2θ(4 + z) + θ²', async (t) => {
  const theta = 2;
  const sim = await simulate(gaussianShift, { theta }, { replicates: 500, seed: 5, tangents: true, dtype: 'float64' });
  for (let r = 0; r < 500; r++) {
    const z = sim.value(r, 1) / theta ** 2 - 4;
    const exact = 2 * theta * (4 + z) + theta ** 2;
    t.true(Math.abs(sim.tangent(r, 1, 'theta') - exact) < 1e-12 * Math.max(1, Math.abs(exact)));
  }
});

test('volatility (relaxed, float64): pathwise equals finite differences with common random numbers through every loss', async (t) => {
  const model = models.volatility({ agents: 200, steps: 30 });
  const truth = { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 };
  const data = await simulate(model, { ...truth, sigmaEps: 1.3 }, { replicates: 1, seed: 99, dtype: 'float64', discrete: { mode: 'relaxed' } });
  const observed = Array.from(data.values.subarray(1));
  const common = { replicates: 8, seed: 6, dtype: 'float64' as const, discrete: { mode: 'relaxed' as const, tau: 0.1 } };
  for (const loss of [losses.mse(observed), losses.logMse(observed), losses.mmd(observed), losses.energyDistance(observed)]) {
    const pathwise = await gradient(model, truth, { ...common, loss, estimator: 'pathwise' });
    const fd = await gradient(model, truth, { ...common, loss, estimator: 'finite-difference', step: 1e-6 });
    for (const name of Object.keys(truth)) {
      const a = pathwise.grad[name]!;
      const b = fd.grad[name]!;
      t.true(Math.abs(a - b) <= 1e-3 * Math.abs(b), `${loss.name} d/d${name}: pathwise ${a}, finite difference ${b}`);
    }
  }
});

test('extreme p and τ give finite gradients in every mode', async (t) => {
  const small = models.randomWalk({ agents: 20, steps: 10 });
  for (const p of [0, 1e-7, 1 - 1e-7, 1]) {
    for (const mode of ['exact', 'relaxed', 'straight-through', 'smoothed'] as const) {
      for (const tau of [1e-3, 0.1, 100]) {
        const g = await gradient(small, { p }, { loss: finalValue, replicates: 16, seed: 1, discrete: { mode, tau } });
        t.true(Number.isFinite(g.grad['p']) && g.dropped === 0, `p=${p} ${mode} τ=${tau}: ${g.grad['p']}`);
      }
    }
    const score = await gradient(small, { p }, { loss: finalValue, estimator: 'score', replicates: 16, seed: 1 });
    t.true(Number.isFinite(score.grad['p']));
    const fd = await gradient(small, { p }, { loss: finalValue, estimator: 'finite-difference', replicates: 16, seed: 1 });
    t.true(Number.isFinite(fd.grad['p']));
  }
  // At p = 0 and 1 the walk is deterministic: x(T) = ∓T exactly.
  t.is((await gradient(small, { p: 1 }, { loss: finalValue, replicates: 4, seed: 1 })).value, 10);
  t.is((await gradient(small, { p: 0 }, { loss: finalValue, replicates: 4, seed: 1 })).value, -10);
});

test('replicates whose loss is NaN are dropped and counted; all-NaN is an error', async (t) => {
  const nanAbove: Loss = {
    name: 'nanAbove',
    evaluate(simulated, shape) {
      const result = finalValue.evaluate(simulated, shape);
      return result.value > 0 ? { value: NaN, gradient: result.gradient } : result;
    },
  };
  const options = { replicates: 200, seed: 8, discrete: { mode: 'smoothed' as const } };
  const sim = await simulate(walk, { p: 0.5 }, options);
  const positives = strided(sim.values, 200, T + 1, T).filter((x) => x > 0).length;
  t.true(positives > 0 && positives < 200);
  const g = await gradient(walk, { p: 0.5 }, { ...options, loss: nanAbove });
  t.is(g.dropped, positives);
  t.is(g.replicates, 200 - positives);
  t.true(g.value <= 0);
  const allNan: Loss = { name: 'allNan', evaluate: (s) => ({ value: NaN, gradient: new Float64Array(s.length) }) };
  await t.throwsAsync(gradient(walk, { p: 0.5 }, { ...options, loss: allNan }), { instanceOf: RangeError, message: /every one of the 200 replicates was NaN/ });
});

test('gradient validates its options', async (t) => {
  await t.throwsAsync(gradient(walk, { p: 0.5 }, {} as never), { instanceOf: TypeError, message: /loss must be a loss/ });
  await t.throwsAsync(gradient(walk, { p: 0.5 }, { loss: finalValue, estimator: 'reinforce' as never }), { instanceOf: RangeError, message: /estimator must be one of/ });
  await t.throwsAsync(gradient(walk, { p: 0.5 }, { loss: finalValue, estimator: 'finite-difference', step: 0 }), { instanceOf: RangeError, message: /step must be a finite number > 0/ });
  await t.throwsAsync(gradient(walk, { p: 0.5 }, { loss: finalValue, tangents: [] }), { instanceOf: RangeError, message: /at least one parameter/ });
  await t.throwsAsync(gradient(walk, { p: 2 }, { loss: finalValue }), { instanceOf: RangeError, message: /theta\.p/ });
});
