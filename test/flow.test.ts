// The normalizing-flow family (family: 'flow'): its reverse mode, inverse and density against
// finite differences and numerical Jacobians; its start as the Gaussian family; the objective's
// gradient through it; and, end to end, a bimodal generalised posterior that the flow recovers
// (both modes, with the masses that quadrature gives) where the Gaussian families take one mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import test from 'ava';

import { defineModel, fit, losses, models, Posterior, priors, type Prior } from '../lib/index.js';
import { family } from '../lib/gvi/family.js';
import { FlowFamily } from '../lib/gvi/flow/family.js';
import { flowConfig } from '../lib/gvi/flow/options.js';
import { solve } from '../lib/gvi/flow/solve.js';
import { splineForward, splineInverse, splineSize } from '../lib/gvi/flow/spline.js';
import { estimateObjective, type ObjectiveSetup } from '../lib/gvi/objective.js';
import { freeParameters } from '../lib/gvi/parameters.js';
import { standardNormals } from '../lib/gvi/random.js';

const small = flowConfig({ layers: 3, bins: 5, hidden: 4 });

/** A flow over P dimensions at a random φ: the seeded start, every entry then moved by N(0, spread²). */
function randomFlow(P: number, seed: number, spread = 0.4): { flow: FlowFamily; phi: Float64Array } {
  const flow = new FlowFamily(P, small);
  const phi = flow.initialPhi(Array.from({ length: P }, (_, i) => 0.3 * i - 0.2), Array.from({ length: P }, () => 0.8), seed);
  const noise = standardNormals(1000 + seed, phi.length);
  for (let i = 0; i < phi.length; i++) phi[i] = phi[i]! + spread * noise[i]!;
  return { flow, phi };
}

/** Base points: random normals, spread so that they reach several bins, and one in a tail. */
function basePoints(P: number, seed: number): Float64Array[] {
  const z = standardNormals(2000 + seed, 3 * P);
  const points = [0, 1, 2].map((k) => Float64Array.from(z.subarray(k * P, (k + 1) * P), (x) => 1.8 * x));
  points[2]![0] = 6.5; // beyond the bound 5: the identity tail
  return points;
}

function close(t: { true(c: boolean, m?: string): void }, a: number, b: number, tolerance: number, label: string): void {
  t.true(Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b)), `${label}: ${a} vs ${b}`);
}

test('the rational-quadratic spline: identity at zero raw numbers, monotone, inverse, derivative', (t) => {
  const K = 6;
  const B = 5;
  const zero = new Float64Array(splineSize(K));
  for (const x of [-7, -4.2, -0.3, 0, 1.1, 4.99, 8]) {
    const { y, logDerivative } = splineForward(zero, 0, K, B, x);
    close(t, y, x, 1e-14, `identity at ${x}`);
    t.true(Math.abs(logDerivative) < 1e-14);
  }
  const raw = Float64Array.from(standardNormals(7, splineSize(K)), (v) => 1.5 * v);
  let previous = -Infinity;
  for (let k = 0; k < 1200; k++) {
    const x = -6.0037 + 0.01 * k; // off the knots ±5, where d²y/dx² jumps
    const { y, logDerivative } = splineForward(raw, 0, K, B, x);
    t.true(y > previous, `increasing at ${x}`);
    previous = y;
    const back = splineInverse(raw, 0, K, B, y);
    close(t, back.x, x, 1e-10, `inverse at ${x}`);
    close(t, back.logDerivative, logDerivative, 1e-8, `inverse's log-derivative at ${x}`);
    const h = 1e-6;
    const fd = (splineForward(raw, 0, K, B, x + h).y - splineForward(raw, 0, K, B, x - h).y) / (2 * h);
    close(t, Math.exp(logDerivative), fd, 1e-6, `dy/dx at ${x}`);
  }
});

for (const P of [1, 2, 3]) {
  test(`reverse mode equals central differences of u and log|det| for every φ and z component (P = ${P})`, (t) => {
    const { flow, phi } = randomFlow(P, P);
    const cotangent = standardNormals(3000 + P, P + 1);
    const gu = cotangent.subarray(0, P);
    const gLogDet = cotangent[P]!;
    const objective = (p: Float64Array, z: ArrayLike<number>) => {
      const tape = flow.map.forward(p, z);
      let value = gLogDet * tape.logDet;
      for (let i = 0; i < P; i++) value += gu[i]! * tape.u[i]!;
      return value;
    };
    const h = 1e-6;
    let checked = 0;
    for (const z of basePoints(P, P)) {
      const gphi = new Float64Array(flow.size);
      const gz = flow.map.backward(phi, flow.map.forward(phi, z), gu, gLogDet, gphi);
      for (let i = 0; i < flow.size; i++) {
        const plus = Float64Array.from(phi);
        const minus = Float64Array.from(phi);
        plus[i] = plus[i]! + h;
        minus[i] = minus[i]! - h;
        close(t, gphi[i]!, (objective(plus, z) - objective(minus, z)) / (2 * h), 2e-6, `dφ[${i}] at z = ${Array.from(z)}`);
        checked++;
      }
      for (let i = 0; i < P; i++) {
        const plus = Float64Array.from(z);
        const minus = Float64Array.from(z);
        plus[i] = plus[i]! + h;
        minus[i] = minus[i]! - h;
        close(t, gz[i]!, (objective(phi, plus) - objective(phi, minus)) / (2 * h), 2e-6, `dz[${i}]`);
      }
    }
    t.is(checked, 3 * flow.size);
    // P = 1: free splines only; P > 1: a network for every dimension after the first of each layer.
    const networks = (P * (P - 1)) / 2 * small.hidden + (P - 1) * (small.hidden + (small.hidden + 1) * splineSize(small.bins));
    t.is(flow.size, 2 * P + small.layers * (splineSize(small.bins) + networks));
  });
}

test('inverse(forward(z)) = z, and logDensity is the change-of-variables density with a numerical Jacobian', (t) => {
  for (const P of [1, 2, 3]) {
    const { flow, phi } = randomFlow(P, 10 + P);
    for (const z of basePoints(P, 10 + P)) {
      const tape = flow.draw(phi, z);
      const { z: back, logDet } = flow.map.inverse(phi, tape.u);
      for (let i = 0; i < P; i++) close(t, back[i]!, z[i]!, 1e-9, `z[${i}] (P = ${P})`);
      close(t, logDet, tape.logDet, 1e-9, 'log|det| of the inverse');
      // J = ∂u/∂z by central differences; log q(u) = log N(z) − log|det J|.
      const h = 1e-5;
      const J = new Float64Array(P * P);
      for (let j = 0; j < P; j++) {
        const plus = Float64Array.from(z);
        const minus = Float64Array.from(z);
        plus[j] = plus[j]! + h;
        minus[j] = minus[j]! - h;
        const up = flow.draw(phi, plus).u;
        const down = flow.draw(phi, minus).u;
        for (let i = 0; i < P; i++) J[i * P + j] = (up[i]! - down[i]!) / (2 * h);
      }
      const det = determinant(J, P);
      let logNormal = 0;
      for (const x of z) logNormal -= 0.5 * x * x + 0.5 * Math.log(2 * Math.PI);
      close(t, flow.logDensity(phi, tape.u), logNormal - Math.log(Math.abs(det)), 1e-6, `log q(u) (P = ${P})`);
    }
  }
});

/** det A by elimination with partial pivoting (A row-major n × n). */
function determinant(A: Float64Array, n: number): number {
  const m = Float64Array.from(A);
  let det = 1;
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[pivot * n + k]!)) pivot = i;
    if (pivot !== k) {
      det = -det;
      for (let j = 0; j < n; j++) [m[k * n + j], m[pivot * n + j]] = [m[pivot * n + j]!, m[k * n + j]!];
    }
    det *= m[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k]! / m[k * n + k]!;
      for (let j = k; j < n; j++) m[i * n + j] = m[i * n + j]! - f * m[k * n + j]!;
    }
  }
  return det;
}

test('the score ∇φ log q(u) at fixed u equals central differences of logDensity (the score-function estimator)', (t) => {
  for (const P of [1, 3]) {
    const { flow, phi } = randomFlow(P, 20 + P);
    const z = basePoints(P, 20 + P)[1]!;
    const tape = flow.draw(phi, z);
    const score = flow.scoreOfSample(phi, tape);
    const h = 1e-6;
    for (let i = 0; i < flow.size; i++) {
      const plus = Float64Array.from(phi);
      const minus = Float64Array.from(phi);
      plus[i] = plus[i]! + h;
      minus[i] = minus[i]! - h;
      close(t, score[i]!, (flow.logDensity(plus, tape.u) - flow.logDensity(minus, tape.u)) / (2 * h), 1e-5, `score[${i}] (P = ${P})`);
    }
  }
  const A = Float64Array.from([0, 2, 1, 1, 1, 0, 3, 0, 1]);
  const x = solve(A, [5, 3, 4], 3);
  [1, 2, 1].forEach((v, i) => close(t, x[i]!, v, 1e-14, `solve x[${i}]`));
});

test('at initialisation the flow is the Gaussian family: the same u for the same z', (t) => {
  for (const P of [1, 4]) {
    const mean = Array.from({ length: P }, (_, i) => 0.7 - 0.4 * i);
    const scale = Array.from({ length: P }, (_, i) => 0.1 + 0.2 * i);
    const flow = family('flow', P);
    const gaussian = family('diagonal-gaussian', P);
    const phiFlow = flow.initialPhi(mean, scale, 3);
    const phiGaussian = gaussian.initialPhi(mean, scale, 3);
    t.true(phiFlow.some((x, i) => i >= 2 * P && x !== 0) === P > 1, 'hidden weights drawn where there are networks');
    const z = standardNormals(5, 50 * P);
    for (let s = 0; s < 50; s++) {
      const zs = z.subarray(s * P, (s + 1) * P);
      const a = flow.draw(phiFlow, zs).u;
      const b = gaussian.draw(phiGaussian, zs).u;
      for (let i = 0; i < P; i++) t.true(Math.abs(a[i]! - b[i]!) < 1e-13, `u[${i}]: ${a[i]} vs ${b[i]}`);
      close(t, flow.logDensity(phiFlow, a), gaussian.logDensity(phiGaussian, b), 1e-12, 'log q');
    }
    t.deepEqual(Array.from(flow.initialPhi(mean, scale, 3)), Array.from(phiFlow), 'seeded: the same φ again');
  }
});

const location = models.gaussianLocation({ steps: 15, agents: 3 });
const locationData = Array.from({ length: 15 }, (_, i) => 0.5 + Math.cos(i));

test('the objective gradient through the flow equals finite differences (pathwise loss, Monte Carlo KL)', async (t) => {
  const f = family('flow', 2, small);
  const setup: ObjectiveSetup = {
    model: location,
    family: f,
    params: freeParameters(location, ['mu', 'sigma'], { mu: priors.normal(0.3, 2), sigma: priors.halfNormal(1.5) }),
    fixed: {},
    loss: losses.mse(locationData),
    weight: 0.7,
    samples: 4,
    replicatesPerSample: 2,
    estimator: 'pathwise',
    seed: 4,
    simulation: { dtype: 'float64' },
  };
  const phi = f.initialPhi([0.2, -0.4], [0.3, 0.5], 1);
  const noise = standardNormals(77, phi.length);
  for (let i = 0; i < phi.length; i++) phi[i] = phi[i]! + 0.2 * noise[i]!;
  const { gradient, kl } = await estimateObjective(setup, phi, 3);
  t.true(Number.isFinite(kl));
  // A subset of components (μ, ρ, and a spread over the conditioners) keeps the test short.
  const indices = [0, 1, 2, 3, ...Array.from({ length: 12 }, (_, k) => 4 + Math.floor((k * (phi.length - 5)) / 11))];
  for (const i of indices) {
    const h = 1e-6;
    const plus = Float64Array.from(phi);
    const minus = Float64Array.from(phi);
    plus[i] = plus[i]! + h;
    minus[i] = minus[i]! - h;
    const fd = ((await estimateObjective(setup, plus, 3)).total - (await estimateObjective(setup, minus, 3)).total) / (2 * h);
    close(t, gradient[i]!, fd, 1e-5, `dφ[${i}]`);
  }
});

// A generalised posterior with two separated modes. Each step the model reports y = θ² + 0.1 ξ; the
// data are y = 1 at every step, so under the MSE loss E_noise[loss(θ)] = (θ² − 1)² + 0.01 and the
// generalised posterior ∝ exp(−(θ² − 1)² / w) · prior(θ) has modes near θ = ±1, each of sd ≈ 0.12 at
// w = 0.1, with exp(−10) of the density's height between them.
const square = defineModel({
  name: 'square',
  parameters: { theta: { constraint: 'real', reference: 1 } },
  settings: { agents: 1, steps: 10 },
  outputs: ['y'],
  init(m) {
    m.output({ y: 0 });
  },
  step(m) {
    const theta = m.params.theta;
    const total = m.sum((_agent) => m.normal(theta * theta, 0.1, { stream: 0 }));
    m.output({ y: total / m.agents });
  },
});
const squareData = Array.from({ length: 10 }, () => 1);
const squareWeight = 0.1;

/** The true generalised posterior by quadrature (trapezoid, step 1e-4 on [−3, 3]): normalised log density, mass and moments of each side. */
function quadrature(prior: Prior) {
  const h = 1e-4;
  const grid = Array.from({ length: 60_001 }, (_, i) => -3 + i * h);
  const unnormalised = (x: number) => -((x * x - 1) ** 2) / squareWeight + prior.logDensity(x);
  const density = grid.map((x) => Math.exp(unnormalised(x)));
  const Z = density.reduce((a, d) => a + d * h, 0);
  const side = (positive: boolean) => {
    let mass = 0;
    let first = 0;
    grid.forEach((x, i) => {
      if (x > 0 === positive && x !== 0) {
        mass += (density[i]! * h) / Z;
        first += (x * density[i]! * h) / Z;
      }
    });
    return { mass, mean: first / mass };
  };
  return { logDensity: (x: number) => unnormalised(x) - Math.log(Z), right: side(true), left: side(false) };
}

/** Mass right of 0, the mean of each side, and KL(q ‖ p*) from 4000 draws of the fitted q. */
function summary(posterior: Posterior, truth: ReturnType<typeof quadrature>) {
  const draws = posterior.sample(4000, 7).map((d) => d['theta']!);
  const right = draws.filter((x) => x > 0);
  const left = draws.filter((x) => x <= 0);
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const kl = mean(draws.map((x) => posterior.logProb({ theta: x }) - truth.logDensity(x)));
  return { right: right.length / draws.length, rightMean: mean(right), leftMean: mean(left), kl };
}

const bimodalOptions = {
  loss: 'mse' as const, weight: squareWeight, dtype: 'float64' as const, initialScale: 1, lrSchedule: 'cosine' as const, epochs: 1500,
};

for (const [label, prior] of [['symmetric prior normal(0, 1)', priors.normal(0, 1)], ['asymmetric prior normal(0.5, 1)', priors.normal(0.5, 1)]] as const) {
  test(`two separated modes (${label}): the flow puts the quadrature's mass on each, where the diagonal Gaussian takes one`, async (t) => {
    const truth = quadrature(prior);
    const flow = await fit(square(), squareData, { ...bimodalOptions, prior, family: 'flow', lr: 0.005, samplesPerEpoch: 256, seed: 1 });
    const q = summary(flow.posterior, truth);
    t.log('truth', truth.right, truth.left, 'flow', q);
    // Tolerance 0.1: the 4000 draws give the mass to ±0.008 (one standard error), and the fitted mass
    // itself varies with the fit's random numbers: over seeds 1–3 it was 0.541, 0.534, 0.507 (truth
    // 0.5) and 0.768, 0.724, 0.784 (truth 0.724), a spread of sd ≈ 0.03; 0.1 is 3 of those together.
    // A flow on one mode (0.5 off) or with the symmetric case's masses under the asymmetric prior
    // (0.22 off) fails.
    t.true(Math.abs(q.right - truth.right.mass) < 0.1, `flow's mass right of 0: ${q.right} vs ${truth.right.mass}`);
    // Each side's mean: a standard error of 0.003 from ~2000 draws; the fitted flow leaks a little mass
    // into the gap, which pulls the side means toward 0 by 0.01 to 0.025 over seeds 1–3.
    t.true(Math.abs(q.rightMean - truth.right.mean) < 0.04, `right mode ${q.rightMean} vs ${truth.right.mean}`);
    t.true(Math.abs(q.leftMean - truth.left.mean) < 0.04, `left mode ${q.leftMean} vs ${truth.left.mean}`);
    // KL(q ‖ p*) by Monte Carlo over the same draws, with the quadrature's normalised log p*: 0.045 to
    // 0.091 over seeds 1–3 and both priors.
    t.true(q.kl < 0.15, `KL(flow ‖ posterior) ${q.kl}`);
    // With one parameter the full-rank family is the diagonal one; a Gaussian on one side of 0 is at
    // KL ≥ −log p*(that side) from p* (the side indicator's KL bounds it from below).
    const gaussian = await fit(square(), squareData, { ...bimodalOptions, prior, family: 'diagonal-gaussian', lr: 0.02, samplesPerEpoch: 16, seed: 1 });
    const g = summary(gaussian.posterior, truth);
    t.log('diagonal-gaussian', g);
    t.true(Math.max(g.right, 1 - g.right) > 0.95, `diagonal-gaussian: mass right of 0 ${g.right}`);
    const side = g.right > 0.5 ? truth.right.mass : truth.left.mass;
    t.true(g.kl > -Math.log(side) - 0.02, `KL(diagonal-gaussian ‖ posterior) ${g.kl} vs at least ${-Math.log(side)}`);
    t.true(q.kl < g.kl - 0.2, 'the flow is the closer fit');
  });
}

// The conjugate Gaussian location model of test/fit.test.ts: the generalised posterior of mu is
// N(2ȳ/3, 1/3) (w = 1, prior N(0, 1)); the flow, a superset of the Gaussians, must find it with the
// finite-difference and score-function estimators too.
const conjugate = models.gaussianLocation({ steps: 20 });
const conjugateData = Array.from({ length: 20 }, (_, i) => 1 + Math.sin(i));
const ybar = conjugateData.reduce((a, b) => a + b, 0) / conjugateData.length;
const conjugateOptions = {
  parameters: ['mu'], fixed: { sigma: 0.5 }, prior: { mu: priors.normal(0, 1) }, loss: 'mse' as const, weight: 1, dtype: 'float64' as const,
  family: 'flow' as const, flow: { layers: 2, bins: 6 }, lrSchedule: 'cosine' as const,
};

for (const [estimator, samples, epochs] of [['finite-difference', 32, 800], ['score', 200, 1000]] as const) {
  test(`conjugate Gaussian location with the flow and the ${estimator} estimator: mean and variance within 5% and 10% of the closed form`, async (t) => {
    const result = await fit(conjugate, conjugateData, { ...conjugateOptions, gradientEstimator: estimator, samplesPerEpoch: samples, epochs, lr: 0.01, seed: 2 });
    const draws = result.posterior.sample(4000, 3).map((d) => d['mu']!);
    const mean = draws.reduce((a, x) => a + x, 0) / draws.length;
    const variance = draws.reduce((a, x) => a + (x - mean) ** 2, 0) / (draws.length - 1);
    t.log(estimator, mean, variance, (2 * ybar) / 3, 1 / 3);
    t.true(Math.abs(mean / ((2 * ybar) / 3) - 1) < 0.05, `mean ${mean} vs ${(2 * ybar) / 3}`);
    t.true(Math.abs(variance * 3 - 1) < 0.1, `variance ${variance} vs ${1 / 3}`);
  });
}

test('checkpoint and resume with the flow give bitwise the φ of an uninterrupted fit; another flow shape is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-flow-ckpt-'));
  try {
    const options = { ...conjugateOptions, samplesPerEpoch: 8, lr: 0.02, seed: 5, lrSchedule: 'constant' as const };
    const straight = await fit(conjugate, conjugateData, { ...options, epochs: 30 });
    const path = join(dir, 'fit.json');
    await fit(conjugate, conjugateData, { ...options, epochs: 15, checkpoint: { path, every: 5 } });
    const resumed = await fit(conjugate, conjugateData, { ...options, epochs: 30, resume: path });
    t.is(resumed.epochs, 30);
    t.deepEqual(Array.from(resumed.posterior.phi), Array.from(straight.posterior.phi));
    t.deepEqual(resumed.history.map((h) => h.loss), straight.history.map((h) => h.loss));
    t.true(straight.posterior.phi.slice(2).some((x) => x !== 0), 'the splines moved');
    await t.throwsAsync(fit(conjugate, conjugateData, { ...options, flow: { layers: 2, bins: 7 }, epochs: 30, resume: path }), { message: /belongs to a fit with other settings/ });
    await t.throwsAsync(fit(conjugate, conjugateData, { ...options, family: 'diagonal-gaussian', flow: undefined, epochs: 30, resume: path }), { message: /belongs to a fit with other settings/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('flow options are validated', async (t) => {
  const base = { ...conjugateOptions, epochs: 1 };
  await t.throwsAsync(fit(conjugate, conjugateData, { ...base, flow: { bins: 1 } }), { instanceOf: RangeError, message: /flow\.bins must be an integer in \[2, 64\], got 1/ });
  await t.throwsAsync(fit(conjugate, conjugateData, { ...base, flow: { layers: 0 } }), { instanceOf: RangeError, message: /flow\.layers must be an integer in \[1, 16\], got 0/ });
  await t.throwsAsync(fit(conjugate, conjugateData, { ...base, flow: { hidden: 2.5 } }), { instanceOf: RangeError, message: /flow\.hidden must be an integer in \[1, 256\], got 2\.5/ });
  await t.throwsAsync(fit(conjugate, conjugateData, { ...base, flow: { layers: '3' as never } }), { instanceOf: TypeError, message: /flow\.layers must be an integer/ });
  await t.throwsAsync(fit(conjugate, conjugateData, { ...base, flow: { depth: 3 } as never }), { instanceOf: TypeError, message: /flow\.depth is not a flow option/ });
  await t.throwsAsync(fit(conjugate, conjugateData, { ...base, family: 'diagonal-gaussian', flow: { layers: 2 } }), { instanceOf: TypeError, message: /flow options apply to family 'flow' only/ });
  await t.throwsAsync(fit(conjugate, conjugateData, { ...base, family: 'mixture' as never, flow: undefined }), { instanceOf: RangeError, message: /family must be one of 'diagonal-gaussian', 'full-rank-gaussian', 'flow'/ });
});

test('a flow posterior: moments, Monte Carlo quantiles, logProb, JSON with φ and shape; unconstrained() is for Gaussians', async (t) => {
  const model = models.gaussianLocation({ steps: 10 });
  const result = await fit(model, conjugateData.slice(0, 10), {
    prior: { mu: priors.normal(0, 1), sigma: priors.logNormal(0, 1) }, loss: 'mse', weight: 1, epochs: 20, samplesPerEpoch: 4, seed: 1, family: 'flow', flow: { layers: 2, bins: 4, hidden: 3 },
  });
  const posterior = result.posterior;
  const draws = posterior.sample(4096, 0);
  const sigmas = draws.map((d) => d['sigma']!).sort((a, b) => a - b);
  const q = posterior.quantiles([0.1, 0.5, 0.9]);
  // Monte Carlo quantiles over the 4096 draws of seed 0: order statistics, interpolated.
  t.is(q['sigma']![1], sigmas[2047]! + 0.5 * (sigmas[2048]! - sigmas[2047]!));
  t.true(sigmas.every((s) => s > 0), 'positive parameters stay positive');
  const mean = posterior.mean();
  t.is(mean['mu'], draws.reduce((a, d) => a + d['mu']!, 0) / draws.length);
  t.is(posterior.covariance().length, 2);
  for (const s of [0.05, 0.5, 1, 3]) t.true(Number.isFinite(posterior.logProb({ mu: q['mu']![1]!, sigma: s })));
  // logProb is a density in natural units: at a random φ, exp(logProb(θ)) dθ integrates to 1
  // (midpoint rule over u ∈ [−10, 10]², θ = (u₀, exp u₁), dθ = exp(u₁) du; a moderate spread of φ
  // keeps the density smooth enough for the grid: the rule gives 1 ± 2e-5 at 400², 1 ± 1e-6 at 1600²).
  const { phi } = randomFlow(2, 31, 0.15);
  const other = new Posterior(new FlowFamily(2, small), posterior.params, phi, posterior.fixed);
  const n = 400;
  const h = 20 / n;
  let integral = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const u1 = -10 + (j + 0.5) * h;
      integral += Math.exp(other.logProb({ mu: -10 + (i + 0.5) * h, sigma: Math.exp(u1) }) + u1) * h * h;
    }
  }
  close(t, integral, 1, 1e-4, '∫ exp(logProb) dθ');
  const json = posterior.toJSON();
  t.is(json.family, 'flow');
  t.is(json.unconstrained, undefined);
  t.deepEqual({ layers: json.flow!.layers, bins: json.flow!.bins, hidden: json.flow!.hidden, bound: json.flow!.bound }, { layers: 2, bins: 4, hidden: 3, bound: 5 });
  t.deepEqual(json.flow!.phi, Array.from(posterior.phi));
  t.throws(() => posterior.unconstrained(), { instanceOf: TypeError, message: /unconstrained\(\) gives the mean and Cholesky factor of a Gaussian family; this posterior is a 'flow'/ });
});
