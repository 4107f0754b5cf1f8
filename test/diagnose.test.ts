import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import test from 'ava';

import { diagnose, models, priors, type DiagnoseOptions } from '../lib/index.js';
import { coverageOf, insideCentralIntervals, rankOf, uniformityPValue } from '../lib/diagnose/calibration.js';
import { binomialInterval, chiSquareSurvival } from '../lib/diagnose/distributions.js';

// Known answers from scipy.stats: chi2.sf and binom.ppf / binom.isf.
test('χ² tail and binomial intervals against scipy', (t) => {
  t.true(Math.abs(chiSquareSurvival(10, 5) - 0.07523524614651217) < 1e-13);
  t.true(Math.abs(chiSquareSurvival(30.14352720564616, 19) - 0.05) < 1e-13);
  t.true(Math.abs(chiSquareSurvival(0.5, 3) - 0.9188914116546758) < 1e-13);
  t.true(Math.abs(chiSquareSurvival(200, 19) / 3.4047651393116526e-32 - 1) < 1e-9);
  t.deepEqual(binomialInterval(100, 0.05, 0.99), [0, 11]);
  t.deepEqual(binomialInterval(200, 0.9, 0.95), [171, 188]);
});

test('ranks, coverage flags and the uniformity test on hand-made ranks', (t) => {
  t.is(rankOf([0.1, 0.5, 0.9, 0.3], 0.4), 2);
  // 9 draws: quantile (rank + ½)/10; rank 4 is the median, rank 0 lies only in the widest intervals.
  t.deepEqual(insideCentralIntervals(4, 9, [0.1, 0.9]), [true, true]);
  t.deepEqual(insideCentralIntervals(0, 9, [0.8, 0.95]), [false, true]);
  const uniform = Array.from({ length: 1000 }, (_, i) => i % 100);
  t.true(uniformityPValue(uniform, 99, 10) > 0.999);
  const piled = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 0 : 99));
  t.true(uniformityPValue(piled, 99, 10) < 1e-30);
  t.deepEqual(coverageOf([[true, false], [true, true]], [0.5, 0.9]), [{ level: 0.5, observed: 1 }, { level: 0.9, observed: 0.5 }]);
});

// Conjugate Gaussian location model: y_t ~ N(μ, σ²), t = 1..T, prior μ ~ N(0, 1). With the MSE loss
// and w = 2σ²/T the generalised posterior exp(−loss/w) π is the exact Bayes posterior, so a fit
// recipe that converges is calibrated. The test can fail: w 20 times too small is overconfident.
const T = 20;
const sigma = 0.5;
const location = models.gaussianLocation({ steps: T });
function conjugate(weightFactor: number): DiagnoseOptions {
  return {
    parameters: ['mu'], fixed: { sigma }, prior: { mu: priors.normal(0, 1) }, simulations: 200, seed: 1,
    fit: { loss: 'mse', weight: (weightFactor * 2 * sigma * sigma) / T, epochs: 400, lr: 0.05, lrSchedule: 'cosine', samplesPerEpoch: 20, dtype: 'float64' },
  };
}

test('conjugate Gaussian location at w = 2σ²/T: uniform SBC ranks, 90% intervals cover about 90%', async (t) => {
  const result = await diagnose(location, conjugate(1));
  t.is(result.fits.length, 200);
  t.is(result.failed.length, 0);
  const { pValue, ranks, histogram } = result.sbc['mu']!;
  t.true(pValue > 0.01, `uniformity p ${pValue}, histogram ${histogram.join(' ')}`);
  t.is(ranks.length, 200);
  const at90 = result.coverage['mu']!.find((c) => c.level === 0.9)!;
  t.true(at90.observed >= at90.band[0] && at90.observed <= at90.band[1], `90% coverage ${at90.observed}, band ${at90.band}`);
  for (const c of result.coverage['mu']!) t.true(Math.abs(c.observed - c.level) < 0.1, `coverage ${c.observed} at level ${c.level}`);
});

test('the same diagnostics flag a weight 20 times too small', async (t) => {
  const result = await diagnose(location, conjugate(1 / 20));
  t.true(result.sbc['mu']!.pValue < 1e-6, `uniformity p ${result.sbc['mu']!.pValue}`);
  const at90 = result.coverage['mu']!.find((c) => c.level === 0.9)!;
  t.true(at90.observed < 0.5, `90% coverage ${at90.observed}`);
});

const small: DiagnoseOptions = {
  parameters: ['mu'], fixed: { sigma }, prior: { mu: priors.normal(0, 1) }, simulations: 12, seed: 5,
  fit: { loss: 'mse', epochs: 60, lr: 0.05, dtype: 'float64' },
};
const withoutTimes = (fits: Array<{ seconds: number }>) => fits.map((f) => ({ ...f, seconds: 0 }));

test('the same seed gives the same ranks in this thread, over 2 worker threads, and resumed from a record', async (t) => {
  const inThread = await diagnose(location, { ...small, concurrency: 1 });
  const inWorkers = await diagnose(location, { ...small, concurrency: 2 });
  t.deepEqual(withoutTimes(inWorkers.fits), withoutTimes(inThread.fits));
  t.deepEqual(inWorkers.sbc, inThread.sbc);
  // The default weight is derived from the data: 1/n for the 20 residuals of the MSE.
  t.is(inThread.fits[0]!.weight, 1 / 20);

  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-diagnose-'));
  try {
    const record = join(dir, 'record.jsonl');
    const controller = new AbortController();
    const first = await diagnose(location, { ...small, concurrency: 2, record, signal: controller.signal, onProgress: (p) => p.done >= 5 && controller.abort() });
    t.true(first.aborted);
    t.true(first.fits.length >= 5 && first.fits.length < 12, `${first.fits.length} fits before the abort`);
    const progress: number[] = [];
    const resumed = await diagnose(location, { ...small, concurrency: 2, record, onProgress: (p) => progress.push(p.done) });
    t.false(resumed.aborted);
    t.is(progress[0], first.fits.length, 'the first report counts the fits found in the record');
    t.deepEqual(withoutTimes(resumed.fits), withoutTimes(inThread.fits));
    t.is(readFileSync(record, 'utf8').trim().split('\n').length, 1 + 12);
    const report = join(dir, 'report.html');
    await diagnose(location, { ...small, concurrency: 2, record, report });
    const html = readFileSync(report, 'utf8');
    t.regex(html, /<title>agentgrad diagnose — gaussianLocation<\/title>/);
    t.regex(html, /mu ~ normal\(0, 1\)/);
    t.regex(html, /mse, full-rank-gaussian, 60 epochs, 10 samples, lr 0.05, loss weight 0.05 \(derived from the data\)/);
    t.is((html.match(/<svg/g) ?? []).length, 2, 'the rank histogram of mu and the coverage curve');
    await t.throwsAsync(diagnose(location, { ...small, seed: 6, record }), { message: /belongs to a diagnose run with other settings/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a loss given as a function runs the fits in this thread with the same numbers as its name', async (t) => {
  const { losses } = await import('../lib/index.js');
  const named = await diagnose(location, { ...small, simulations: 4 });
  const built = await diagnose(location, { ...small, simulations: 4, fit: { ...small.fit, loss: (observed) => losses.mse(observed) } });
  t.deepEqual(withoutTimes(built.fits), withoutTimes(named.fits));
});

test('bad options are TypeErrors and RangeErrors that name the option', async (t) => {
  await t.throwsAsync(diagnose(location, { ...small, simulations: 1 }), { instanceOf: RangeError, message: /simulations must be an integer in \[2, 1000000\], got 1/ });
  await t.throwsAsync(diagnose(location, { ...small, draws: 2.5 }), { instanceOf: RangeError, message: /draws must be an integer/ });
  await t.throwsAsync(diagnose(location, { ...small, fit: { seed: 3 } as never }), { instanceOf: TypeError, message: /fit.seed is not allowed in diagnose \(use diagnose's own seed option\)/ });
  await t.throwsAsync(diagnose(location, { ...small, fit: { loss: 3 } as never }), { instanceOf: TypeError, message: /fit.loss must be a loss name or a function/ });
  await t.throwsAsync(diagnose(location, { ...small, parameters: ['nope'] }), { instanceOf: RangeError, message: /parameters must be names of parameters of gaussianLocation/ });
  await t.throwsAsync(diagnose({} as never), { instanceOf: TypeError, message: /model must be a model/ });
  await t.throwsAsync(diagnose(location, { ...small, concurrency: 0 }), { instanceOf: RangeError, message: /concurrency must be an integer in \[1, 1024\]/ });
});

test('a fit that fails on its data is listed with its error, not counted as calibrated', async (t) => {
  // A loss that rejects every data set: each fit fails and diagnose lists why.
  const failing = await diagnose(location, { ...small, simulations: 3, fit: { ...small.fit, loss: () => { throw new RangeError('this loss rejects the data'); } } });
  t.is(failing.fits.length, 0);
  t.deepEqual(failing.failed.map((f) => f.index), [0, 1, 2]);
  t.regex(failing.failed[0]!.error, /this loss rejects the data/);
  t.true(Number.isNaN(failing.sbc['mu']!.pValue));
  t.false(existsSync('agentgrad-diagnose'));
});

test('the report gives a verdict per parameter and draws its rank histograms and coverage curve', async (t) => {
  const { renderDiagnoseReport, verdictOf } = await import('../lib/report/diagnoseReport.js');
  const levels = [0.1, 0.5, 0.9];
  const calibrated = { name: 'a', histogram: [5, 4, 6, 5], band: [1, 10] as [number, number], pValue: 0.8, coverage: levels.map((level) => ({ level, observed: level, band: [level - 0.1, level + 0.1] as [number, number] })) };
  const narrow = { ...calibrated, name: 'b', pValue: 0.001, coverage: levels.map((level) => ({ level, observed: level / 2, band: [level - 0.1, level + 0.1] as [number, number] })) };
  const wide = { ...calibrated, name: 'c', coverage: levels.map((level) => ({ level, observed: Math.min(1, level + 0.3), band: [level - 0.1, level + 0.1] as [number, number] })) };
  t.is(verdictOf(calibrated), 'no sign of miscalibration');
  t.is(verdictOf(narrow), 'ranks not uniform (p = 0.0010); 2 of 3 coverage levels outside their band (overconfident: intervals too narrow)');
  t.is(verdictOf(wide), '2 of 3 coverage levels outside their band (underconfident: intervals too wide)');
  const html = await renderDiagnoseReport({ title: 'check <1>', summary: [['model', 'x']], draws: 99, parameters: [calibrated, narrow] });
  t.true(html.startsWith('<!DOCTYPE html>'));
  t.true(html.includes('check &lt;1&gt;'));
  t.is((html.match(/<svg/g) ?? []).length, 3);
  t.is((html.match(/<tr class="flagged">/g) ?? []).length, 1);
});
