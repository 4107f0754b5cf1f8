import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import test from 'ava';

import { fit, models, posteriorPredictive, priors, simulate } from '../lib/index.js';

// Gaussian location model, MSE loss, normal prior, w = 1: E_noise[loss(μ)] = (μ − ȳ)² + const, so
// the generalised posterior exp(−loss/w) N(m0, s0²) is Gaussian with precision 2/w + 1/s0².
const location = models.gaussianLocation({ steps: 20 });
const locationData = Array.from({ length: 20 }, (_, i) => 1 + Math.sin(i));
const ybar = locationData.reduce((a, b) => a + b, 0) / locationData.length;
const closedFormPrecision = 2 / 1 + 1 / 1 ** 2;
const closedFormMean = (2 * ybar) / closedFormPrecision;
const locationOptions = {
  parameters: ['mu'], fixed: { sigma: 0.5 }, prior: { mu: priors.normal(0, 1) }, loss: 'mse' as const, weight: 1,
  lr: 0.02, samplesPerEpoch: 20, dtype: 'float64' as const,
};

for (const seed of [1, 2]) {
  test(`conjugate Gaussian location (seed ${seed}): posterior mean and variance within 5% of the closed form`, async (t) => {
    const result = await fit(location, locationData, { ...locationOptions, epochs: 1500, seed });
    const { mean, cholesky } = result.posterior.unconstrained();
    const variance = cholesky[0]![0]! ** 2;
    t.true(Math.abs(mean[0]! / closedFormMean - 1) < 0.05, `mean ${mean[0]} vs ${closedFormMean}`);
    t.true(Math.abs(variance * closedFormPrecision - 1) < 0.05, `variance ${variance} vs ${1 / closedFormPrecision}`);
    const [q05, q50, q95] = result.posterior.quantiles([0.05, 0.5, 0.95])['mu']!;
    t.true(Math.abs(q50! - mean[0]!) < 1e-12);
    t.true(Math.abs((q95! - q05!) / (2 * 1.6448536269514722) - Math.sqrt(variance)) < 1e-8 * Math.sqrt(variance));
  });
}

test('conjugate Gaussian location with the full-rank family and the score-function gradient', async (t) => {
  // The score-function gradient is far noisier than the pathwise one: many more samples, a smaller step.
  const result = await fit(location, locationData, { ...locationOptions, family: 'full-rank-gaussian', gradientEstimator: 'score', samplesPerEpoch: 200, lr: 0.01, epochs: 1500, seed: 3 });
  const { mean, cholesky } = result.posterior.unconstrained();
  t.true(Math.abs(mean[0]! / closedFormMean - 1) < 0.05, `mean ${mean[0]} vs ${closedFormMean}`);
  t.true(Math.abs(cholesky[0]![0]! ** 2 * closedFormPrecision - 1) < 0.05, `variance ${cholesky[0]![0]! ** 2}`);
});

test('a cosine learning-rate schedule moves the mean by lr at first and by almost nothing at the end', async (t) => {
  const epochs = 800;
  const lr = 0.02;
  const means: number[] = [];
  const onEpoch = (_record: unknown, posterior: { unconstrained(): { mean: number[] } }) => void means.push(posterior.unconstrained().mean[0]!);
  const result = await fit(location, locationData, { ...locationOptions, epochs, seed: 4, lrSchedule: 'cosine', initialMean: { mu: 0 }, onEpoch });
  // Adam's first update is lr · sign(gradient) exactly (bias-corrected m / sqrt(v) = ±1).
  t.true(Math.abs(Math.abs(means[0]!) - lr) < 1e-6, `first step ${means[0]}`);
  const lastLr = 0.5 * lr * (1 + Math.cos((Math.PI * (epochs - 1)) / epochs));
  const lastStep = Math.abs(means[epochs - 1]! - means[epochs - 2]!);
  t.true(lastStep < 3 * lastLr, `last step ${lastStep} vs scheduled lr ${lastLr}`);
  const constantRun: number[] = [];
  await fit(location, locationData, { ...locationOptions, epochs, seed: 4, initialMean: { mu: 0 }, onEpoch: (_r, p) => void constantRun.push(p.unconstrained().mean[0]!) });
  t.true(Math.abs(constantRun[epochs - 1]! - constantRun[epochs - 2]!) > 100 * lastStep, 'a constant rate keeps moving');
  const mean = result.posterior.unconstrained().mean[0]!;
  t.true(Math.abs(mean / closedFormMean - 1) < 0.05, `mean ${mean} vs ${closedFormMean}`);
  await t.throwsAsync(fit(location, locationData, { ...locationOptions, epochs: 2, lrSchedule: 'linear' as never }), { instanceOf: RangeError, message: /lrSchedule must be 'constant' or 'cosine'/ });
});

test('random walk: the posterior mean of p moves from the prior to the data', async (t) => {
  const model = models.randomWalk({ agents: 200, steps: 30 });
  const data = await simulate(model, { p: 0.75 }, { seed: 21, discrete: { mode: 'exact' } });
  const observed = Array.from(data.values.subarray(1));
  const result = await fit(model, observed, { prior: priors.uniform(0, 1), loss: 'mse', weight: 0.01, epochs: 200, lr: 0.05, seed: 1, discrete: { mode: 'smoothed' } });
  const mean = result.posterior.mean()['p']!;
  const [q05, , q95] = result.posterior.quantiles()['p']!;
  t.true(Math.abs(mean - 0.75) < 0.03, `posterior mean ${mean}`);
  t.true(q05! > 0.5, `90% interval [${q05}, ${q95}] excludes the prior median`);
  t.true(result.history.at(-1)!.expectedLoss < result.history[0]!.expectedLoss);
});

test('volatility from synthetic data at the reference truth: sigmaEps and eta within 10%', async (t) => {
  const model = models.volatility();
  const truth = model.reference;
  const data = await simulate(model, truth, { seed: 12345, discrete: { mode: 'exact' } });
  const observed = Array.from(data.values.subarray(1));
  const logNormal = priors.logNormal(0, 1);
  // The diagonal family these tolerances were set for: the default full-rank family leans along the
  // σε–η ridge and gives σε a wider, more honest interval (docs/diagnostics.md) whose mean sits above its median.
  const result = await fit(model, observed, { prior: logNormal, family: 'diagonal-gaussian', loss: 'mmd', weight: 0.01, epochs: 300, lr: 0.05, samplesPerEpoch: 10, seed: 1 });
  const mean = result.posterior.mean();
  t.true(Math.abs(mean['sigmaEps']! / truth['sigmaEps']! - 1) < 0.1, `sigmaEps ${mean['sigmaEps']}`);
  t.true(Math.abs(mean['eta']! / truth['eta']! - 1) < 0.1, `eta ${mean['eta']}`);
  const predictive = await posteriorPredictive(model, result.posterior, 50, { seed: 3 });
  t.is(predictive.thetas.length, 50);
  t.is(predictive.simulation.shape.replicates, 50);
  const [lower, upper] = predictive.quantiles([0.05, 0.95]);
  t.true(lower!.slice(1).every((row, i) => row[0]! <= upper![i + 1]![0]!));
});

test('resuming from a checkpoint gives exactly the numbers of an uninterrupted run', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-ckpt-'));
  try {
    const options = { ...locationOptions, seed: 5 };
    const straight = await fit(location, locationData, { ...options, epochs: 40 });
    const path = join(dir, 'fit.json');
    const first = await fit(location, locationData, { ...options, epochs: 20, checkpoint: { path, every: 10 } });
    t.is(first.epochs, 20);
    const resumed = await fit(location, locationData, { ...options, epochs: 40, resume: path });
    t.is(resumed.epochs, 40);
    t.deepEqual(Array.from(resumed.posterior.phi), Array.from(straight.posterior.phi));
    t.deepEqual(resumed.history.map((h) => h.loss), straight.history.map((h) => h.loss));
    t.deepEqual(readdirSync(dir), ['fit.json'], 'no temporary file is left behind');
    await t.throwsAsync(fit(location, locationData, { ...options, seed: 6, epochs: 40, resume: path }), { message: /belongs to a fit with other settings/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a truncated or corrupt checkpoint is rejected with a clear error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-ckpt-'));
  try {
    const path = join(dir, 'fit.json');
    await fit(location, locationData, { ...locationOptions, epochs: 10, checkpoint: { path, every: 5 } });
    const good = (await import('node:fs')).readFileSync(path, 'utf8');
    writeFileSync(path, good.slice(0, good.length / 2));
    await t.throwsAsync(fit(location, locationData, { ...locationOptions, epochs: 20, resume: path }), { message: /corrupt or truncated/ });
    writeFileSync(path, JSON.stringify({ version: 1, identity: {}, state: { epoch: 'x' } }));
    await t.throwsAsync(fit(location, locationData, { ...locationOptions, epochs: 20, resume: path }), { message: /not an agentgrad fit checkpoint/ });
    await t.throwsAsync(fit(location, locationData, { ...locationOptions, epochs: 20, resume: join(dir, 'missing.json') }), { message: /cannot read checkpoint/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('aborting returns a usable partial result', async (t) => {
  const controller = new AbortController();
  const result = await fit(location, locationData, {
    ...locationOptions, epochs: 1000, signal: controller.signal,
    onEpoch: (record) => {
      if (record.epoch === 4) controller.abort();
    },
  });
  t.true(result.aborted);
  t.is(result.epochs, 5);
  t.is(result.history.length, 5);
  t.true(Number.isFinite(result.posterior.mean()['mu']));
  t.is(result.posterior.sample(3, 1).length, 3);
});

test('early stopping with patience keeps the best state', async (t) => {
  const result = await fit(location, locationData, { ...locationOptions, epochs: 5000, patience: 20, lr: 0.05, seed: 9 });
  t.true(result.stoppedEarly);
  t.true(result.epochs < 5000);
  const best = result.best!;
  t.is(best.loss, Math.min(...result.history.map((h) => h.loss)));
  t.is(result.history[best.epoch]!.loss, best.loss);
  t.is(result.epochs - 1 - best.epoch, 20);
});

test('fit validates its inputs', async (t) => {
  await t.throwsAsync(fit(location, locationData, { family: 'mixture' as never }), { instanceOf: RangeError, message: /family must be one of/ });
  await t.throwsAsync(fit(location, locationData, { epochs: 0 }), { instanceOf: RangeError, message: /epochs must be an integer in \[1, 10000000\]/ });
  await t.throwsAsync(fit(location, locationData, { lr: -1 }), { instanceOf: RangeError, message: /lr must be a finite number > 0/ });
  await t.throwsAsync(fit(location, locationData, { parameters: ['nu'] }), { instanceOf: RangeError, message: /parameters must be names of parameters/ });
  await t.throwsAsync(fit(location, locationData, { prior: { sigma: priors.normal(0, 1) } }), { instanceOf: RangeError, message: /prior\.sigma: a normal prior does not match sigma's constraint 'positive'/ });
  await t.throwsAsync(fit(location, [1, NaN, 2]), { instanceOf: RangeError, message: /observed\[1\] must be a finite number/ });
  await t.throwsAsync(fit(location, [1, 2, 3], { loss: 'mse', epochs: 1 }), { instanceOf: RangeError, message: /observed has 3 rows but the simulation has 21 time points/ });
  await t.throwsAsync(fit(location, locationData, { loss: 'kl' as never }), { instanceOf: RangeError, message: /loss must be one of/ });
});

test('the checkpoint file is only replaced whole', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-ckpt-'));
  try {
    const path = join(dir, 'fit.json');
    await fit(location, locationData, { ...locationOptions, epochs: 3, checkpoint: { path, every: 1 } });
    t.true(existsSync(path));
    t.is(JSON.parse((await import('node:fs')).readFileSync(path, 'utf8')).state.epoch, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
