import test from 'ava';

import { models, simulate, type Model } from '../lib/index.js';
import { native } from '../lib/native.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

// With L = logit(1 - u) the relaxed draw is sigmoid((logit p + L) / tau) and its hard limit 1[u < p].
function relaxed(p: number, u: number, tau: number): number {
  return sigmoid((logit(p) + logit(1 - u)) / tau);
}

test('exact Bernoulli draws are 1[u < p] with zero tangent', (t) => {
  const { bernoulli } = native().internals;
  t.deepEqual(bernoulli(0.3, 0.2, 'exact', 0.1), [1, 0, 0, 0]);
  t.deepEqual(bernoulli(0.3, 0.4, 'exact', 0.1), [0, 0, 0, 0]);
  t.deepEqual(bernoulli(0, 1e-9, 'exact', 0.1).slice(0, 2), [0, 0]);
  t.deepEqual(bernoulli(1, 1 - 1e-9, 'exact', 0.1).slice(0, 2), [1, 0]);
});

test('relaxed Bernoulli draws are the Concrete sample with its exact derivative', (t) => {
  const { bernoulli } = native().internals;
  // tau = 0.5, 1, 0.1, 0.05, 1/31 take the whole-power form, 2 and 0.3 the log-and-exp one.
  const cases = [[0.3, 0.2, 0.5], [0.7, 0.9, 1], [0.05, 0.01, 0.1], [0.5, 0.5, 2], [0.4, 0.45, 0.05], [0.6, 0.58, 1 / 31], [0.2, 0.3, 0.3]] as const;
  for (const [p, u, tau] of cases) {
    const [value, tangent] = bernoulli(p, u, 'relaxed', tau);
    t.true(Math.abs(value - relaxed(p, u, tau)) < 1e-12);
    const h = 1e-6;
    const fd = (relaxed(p + h, u, tau) - relaxed(p - h, u, tau)) / (2 * h);
    t.true(Math.abs(tangent - fd) < 1e-6 * Math.max(1, Math.abs(fd)), `p=${p} u=${u} tau=${tau}: ${tangent} vs ${fd}`);
  }
});

// A whole 1/tau evaluates the Concrete sample as 1 / (1 + q^n) instead of through log and exp; a
// tau 1e-10 away from it takes the general form, whose sample differs from it by far less than 1e-7.
test('Concrete draws at a whole 1/tau agree with the general form at a tau next to it, from tail to tail', (t) => {
  const { bernoulli } = native().internals;
  let compared = 0;
  for (const tau of [1, 0.5, 0.2, 0.1, 0.05, 1 / 31]) {
    for (const p of [1e-6, 0.05, 0.3, 0.5, 0.7, 1 - 1e-6]) {
      for (const u of [1e-12, 1e-3, 0.2, 0.5, 0.9, 1 - 1e-12]) {
        const [value, tangent] = bernoulli(p, u, 'relaxed', tau);
        const [nearValue, nearTangent] = bernoulli(p, u, 'relaxed', tau * (1 + 1e-10));
        t.true(Math.abs(value - nearValue) < 1e-7, `tau=${tau} p=${p} u=${u}: ${value} vs ${nearValue}`);
        t.true(Math.abs(tangent - nearTangent) <= 1e-6 * Math.max(1, Math.abs(nearTangent)), `tau=${tau} p=${p} u=${u}: ${tangent} vs ${nearTangent}`);
        compared++;
      }
    }
  }
  t.is(compared, 216);
});

// Where a surrogate is within rounding of 1, its slope s (1 - s) must not come out as 1 - 1 = 0:
// it is taken as e^-|x| / (1 + e^-|x|)^2 (sigmoid) and q^n s^2 (whole-power Concrete).
test('surrogate slopes keep their precision where the surrogate rounds to 0 or 1', (t) => {
  const { bernoulli, threshold } = native().internals;
  const k = 5;
  const tail = k * Math.exp(-50) / (1 + Math.exp(-50)) ** 2;
  for (const [x, a] of [[10.1, 0.1], [-9.9, 0.1]] as const) {
    for (const mode of ['relaxed', 'straight-through'] as const) {
      const [, tangent] = threshold(x, a, mode, k);
      t.true(Math.abs(tangent - tail) <= 1e-12 * tail, `${mode} x=${x}: ${tangent} vs ${tail}`);
    }
  }
  // Concrete draws near 1 (u tiny) and near 0 (u near 1), whole-power (tau = 0.1) and general (0.3).
  for (const [p, u, tau] of [[0.9, 1e-12, 0.1], [0.1, 1 - 1e-9, 0.1], [0.9, 1e-12, 0.3], [0.1, 1 - 1e-9, 0.3]] as const) {
    const x = (Math.log(p) - Math.log1p(-p) + Math.log1p(-u) - Math.log(u)) / tau;  // 1 - (1 - u) is not u
    const e = Math.exp(-Math.abs(x));
    const expected = (e / (1 + e) ** 2) / (tau * p * (1 - p));
    for (const mode of ['relaxed', 'straight-through'] as const) {
      const [, tangent] = bernoulli(p, u, mode, tau);
      t.true(expected > 0 && Math.abs(tangent - expected) <= 1e-9 * expected, `${mode} p=${p} u=${u} tau=${tau}: ${tangent} vs ${expected}`);
    }
  }
});

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  return largest;
}

function largestMagnitude(xs: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < xs.length; i++) largest = Math.max(largest, Math.abs(xs[i]!));
  return largest;
}

// The CPU picks kernels compiled for the whole-power form when 1/tau is whole: float32 simulations
// through them agree with the general kernels at a tau next to it, to float32 rounding.
test('float32 simulations at tau = 0.1 (whole-power kernels) agree with the general kernels at a tau next to it', async (t) => {
  const runs: [Model, Record<string, number>][] = [
    [models.randomWalk({ agents: 300, steps: 30 }), { p: 0.4 }],
    [models.sir({ agents: 300, steps: 30 }), { beta: 0.3, gamma: 0.1, I0: 0.05 }],
  ];
  for (const [model, theta] of runs) {
    for (const mode of ['relaxed', 'straight-through'] as const) {
      const options = { replicates: 4, seed: 7, tangents: true, backend: 'cpu' as const };
      const whole = await simulate(model, theta, { ...options, discrete: { mode, tau: 0.1 } });
      const general = await simulate(model, theta, { ...options, discrete: { mode, tau: 0.1 * (1 + 1e-10) } });
      const label = `${model.name} ${mode}`;
      t.true(largestDifference(whole.values, general.values) <= 1e-4 * Math.max(1, largestMagnitude(general.values)), label);
      t.true(largestDifference(whole.tangents!, general.tangents!) <= 1e-4 * Math.max(1, largestMagnitude(general.tangents!)), label);
      t.true(largestMagnitude(general.tangents!) > 0, label);
    }
  }
});

test('straight-through draws keep the exact sample and take the relaxed tangent', (t) => {
  const { bernoulli } = native().internals;
  const [hard, tangent] = bernoulli(0.3, 0.2, 'straight-through', 0.5);
  const [, relaxedTangent] = bernoulli(0.3, 0.2, 'relaxed', 0.5);
  t.is(hard, 1);
  t.is(tangent, relaxedTangent);
  t.true(tangent > 0);
});

test('smoothed draws have tangent 1/(2p) on success and 1/(2(1-p)) on failure', (t) => {
  const { bernoulli } = native().internals;
  t.deepEqual(bernoulli(0.25, 0.1, 'smoothed', 0.1).slice(0, 2), [1, 2]);
  t.deepEqual(bernoulli(0.25, 0.9, 'smoothed', 0.1).slice(0, 2), [0, 1 / 1.5]);
  // Unbiased: p * 1/(2p) + (1 - p) * 1/(2(1 - p)) = 1 = d E[sample] / dp.
});

test('score mode accumulates log p(sample) and its derivative', (t) => {
  const { bernoulli } = native().internals;
  const [s1, d1, lp1, dlp1] = bernoulli(0.25, 0.1, 'score', 0.1);
  t.deepEqual([s1, d1], [1, 0]);
  t.true(Math.abs(lp1 - Math.log(0.25)) < 1e-15 && Math.abs(dlp1 - 4) < 1e-12);
  const [s0, , lp0, dlp0] = bernoulli(0.25, 0.9, 'score', 0.1);
  t.is(s0, 0);
  t.true(Math.abs(lp0 - Math.log(0.75)) < 1e-15 && Math.abs(dlp0 + 1 / 0.75) < 1e-12);
});

test('Bernoulli draws at p = 0 and p = 1 are deterministic and finite in every mode', (t) => {
  const { bernoulli } = native().internals;
  for (const mode of ['exact', 'relaxed', 'straight-through', 'smoothed', 'score'] as const) {
    for (const u of [1e-12, 0.5, 1 - 1e-12]) {
      const zero = bernoulli(0, u, mode, 0.1);
      const one = bernoulli(1, u, mode, 0.1);
      t.is(zero[0], 0, `${mode} p=0 u=${u}`);
      t.is(one[0], 1, `${mode} p=1 u=${u}`);
      t.true([...zero, ...one].every(Number.isFinite), `${mode} u=${u}: ${zero} ${one}`);
    }
  }
});

test('thresholds: hard value, sigmoid surrogate, straight-through tangent', (t) => {
  const { threshold } = native().internals;
  const k = 5;
  t.deepEqual(threshold(0.3, 0.1, 'exact', k), [1, 0]);
  t.deepEqual(threshold(-0.3, 0.1, 'exact', k), [0, 0]);
  const s = sigmoid(k * 0.2);
  const [rv, rd] = threshold(0.3, 0.1, 'relaxed', k);
  t.true(Math.abs(rv - s) < 1e-15 && Math.abs(rd - k * s * (1 - s)) < 1e-14);
  const [sv, sd] = threshold(0.3, 0.1, 'straight-through', k);
  t.is(sv, 1);
  t.is(sd, rd);
  t.deepEqual(threshold(0.3, 0.1, 'score', k), [1, 0]);
});

// sigmoid'(z) in double, without cancellation in either tail.
function sigmoidSlope(z: number): number {
  const e = Math.exp(-Math.abs(z));
  return e / (1 + e) ** 2;
}

// The volatility model's orders: 1[x > w] - 1[x < -w], its straight-through tangents those of the
// surrogates sigmoid(k (x - w)) - sigmoid(k (-w - x)). The two slopes come from one exp (the far
// one from the near one and e^-k|x|), so they are held to the double-precision formula on both
// sides of the band, for bands of either sign, and out into the tails where the far slope is
// below float32's normal range (there within that range's absolute floor). An exp whose argument
// y is rounded to the dtype is off by about |y| eps, and the far slope compounds three of them:
// the tolerance is a few ulps plus 3 k (|x| + |w|) eps.
test('dead-zone sign: hard value, straight-through tangents of both surrogates in float32 and float64', (t) => {
  const { deadZoneSign } = native().internals;
  const k = 5;
  const precision = { float32: { eps: 1.5e-7, floor: 4 * k * 1.17549435e-38 }, float64: { eps: 3e-16, floor: 1e-300 } } as const;
  let compared = 0;
  for (const x of [-20, -3, -1.2, -0.4, -1e-3, 0, 2e-4, 0.3, 0.9, 1.5, 4, 17.5, 25]) {
    for (const w of [-2.5, -0.2, 0, 1e-3, 0.1, 0.7, 1, 2.7, 10, 21]) {
      const hard = (x > w ? 1 : 0) - (-w > x ? 1 : 0);
      const minus = k * sigmoidSlope(k * (x - w));
      const plus = k * sigmoidSlope(k * (x + w));
      for (const dtype of ['float32', 'float64'] as const) {
        const relative = precision[dtype].eps * (4 + 3 * k * (Math.abs(x) + Math.abs(w)));
        const absolute = precision[dtype].floor;
        const [value, dx, dw] = deadZoneSign(x, w, 'straight-through', k, dtype);
        t.is(value, hard, `x=${x} w=${w} ${dtype}`);
        t.true(Math.abs(dx - (minus + plus)) <= relative * (minus + plus) + absolute, `x=${x} w=${w} ${dtype}: d/dx ${dx} vs ${minus + plus}`);
        // plus - minus cancels near w = 0, in the formula as in the code: held to the slopes' scale.
        t.true(Math.abs(dw - (plus - minus)) <= relative * (minus + plus) + absolute, `x=${x} w=${w} ${dtype}: d/dw ${dw} vs ${plus - minus}`);
        t.deepEqual(deadZoneSign(x, w, 'smoothed', k, dtype), [value, dx, dw]);
        t.deepEqual(deadZoneSign(x, w, 'exact', k, dtype), [hard, 0, 0]);
        t.deepEqual(deadZoneSign(x, w, 'score', k, dtype), [hard, 0, 0]);
        compared++;
      }
      const [relaxedValue, relaxedDx, relaxedDw] = deadZoneSign(x, w, 'relaxed', k, 'float64');
      t.true(Math.abs(relaxedValue - (sigmoid(k * (x - w)) - sigmoid(k * (-w - x)))) < 1e-12, `relaxed x=${x} w=${w}`);
      t.true(Math.abs(relaxedDx - (minus + plus)) <= 1e-13 * (minus + plus) + 1e-300 && Math.abs(relaxedDw - (plus - minus)) <= 1e-13 * (minus + plus) + 1e-300, `relaxed x=${x} w=${w}`);
    }
  }
  t.is(compared, 260);
  // Far out the slopes vanish without NaN: e^-|c - m| and e^-c are both 0 there.
  t.deepEqual(deadZoneSign(40, 0.5, 'straight-through', 5, 'float32'), [1, 0, 0]);
  t.deepEqual(deadZoneSign(0.5, 40, 'straight-through', 5, 'float32'), [0, 0, 0]);
});
