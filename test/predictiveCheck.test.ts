import test from 'ava';

import { checkSetup, checkSimulation, resolveStatistics } from '../lib/gvi/predictiveCheck.js';
import { fit, models, posteriorPredictiveCheck, predictiveCheckFlagLevel, simulate, type LossName, type Model, type ObservedInput, type PredictiveCheckRow, type Simulation } from '../lib/index.js';
import { renderReport } from '../lib/report/report.js';
import type { ReportCheckRow, ReportInput } from '../lib/report/types.js';
import {
  absoluteAutocorrelation,
  autocorrelation,
  excessKurtosis,
  finalValue,
  quantileOfSorted,
  seriesMax,
  seriesMean,
  seriesMin,
  standardDeviation,
} from '../lib/stats/series.js';
import { normals } from './helpers.js';

const close = (a: number, b: number, tolerance = 1e-12) => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b));

// ---------------------------------------------------------------------------------------------
// The statistics, against answers worked by hand

test('statistics: known answers on hand series', (t) => {
  const x = [1, 2, 3, 4, 5];
  t.is(seriesMean(x), 3);
  t.true(close(standardDeviation(x), Math.sqrt(2.5)));
  // Deviations (-2, -1, 0, 1, 2): lag-1 products 2 + 0 + 0 + 2 = 4 over squares 10.
  t.true(close(autocorrelation(x), 0.4));
  // Lag 2: (-2)(0) + (-1)(1) + (0)(2) = -1 over 10.
  t.true(close(autocorrelation(x, 2), -0.1));
  t.true(close(absoluteAutocorrelation([-1, 2, -3, 4, -5]), 0.4), 'the ACF of |x| = (1, ..., 5)');
  // Mean -0.6, deviations (-0.4, 2.6, -2.4, 4.6, -4.4): products sum to -38.56, squares to 53.2.
  t.true(close(autocorrelation([-1, 2, -3, 4, -5]), -38.56 / 53.2));
  // m2 = 10/5 = 2, m4 = 34/5 = 6.8: 6.8 / 4 - 3 = -1.3.
  t.true(close(excessKurtosis(x), -1.3));
  // (0, 0, 0, 0, 10): deviations (-2 x4, 8), m2 = 80/5 = 16, m4 = (4·16 + 4096)/5 = 832: 832/256 - 3 = 0.25.
  t.true(close(excessKurtosis([0, 0, 0, 0, 10]), 0.25));
  // A two-point symmetric distribution has the smallest kurtosis there is: 1 - 3 = -2.
  t.true(close(excessKurtosis([1, -1, 1, -1, 1, -1]), -2));
  // Alternating series: lag-1 autocorrelation -(n - 1)/n with zero mean.
  t.true(close(autocorrelation([1, -1, 1, -1, 1, -1]), -5 / 6));
  t.is(seriesMin([3, -2, 7]), -2);
  t.is(seriesMax([3, -2, 7]), 7);
  t.is(finalValue([3, -2, 7]), 7);
  t.true(close(quantileOfSorted([0, 10, 20, 30], 0.5), 15));
  t.true(close(quantileOfSorted([0, 10, 20, 30], 0.005), 0.15));
});

test('statistics: a large normal sample has excess kurtosis and autocorrelations near 0', (t) => {
  const x = normals(5, 200_000);
  t.true(Math.abs(excessKurtosis(x)) < 0.05, `${excessKurtosis(x)}`);
  t.true(Math.abs(autocorrelation(x)) < 0.01);
  t.true(Math.abs(absoluteAutocorrelation(x)) < 0.01);
  // Student t with 5 degrees of freedom has excess kurtosis 6/(5 - 4) = 6: a fat-tailed sample is positive.
  const chi = Array.from({ length: 5 }, (_, k) => normals(100 + k, 200_000));
  const student = x.map((z, i) => z / Math.sqrt(chi.reduce((a, c) => a + c[i]! ** 2, 0) / 5));
  t.true(excessKurtosis(student) > 3, `${excessKurtosis(student)}`);
});

test('statistics: undefined values are NaN (constant series, too short, empty)', (t) => {
  const flat = [2, 2, 2, 2];
  t.is(standardDeviation(flat), 0);
  t.true(Number.isNaN(autocorrelation(flat)));
  t.true(Number.isNaN(absoluteAutocorrelation([-1, 1, -1, 1])));
  t.true(Number.isNaN(excessKurtosis(flat)));
  t.true(Number.isNaN(standardDeviation([1])));
  t.true(Number.isNaN(autocorrelation([1, 2], 2)));
  for (const f of [seriesMean, seriesMin, seriesMax, finalValue]) t.true(Number.isNaN(f([])), f.name);
});

// ---------------------------------------------------------------------------------------------
// Tail probabilities, on simulations whose statistics are known

/** A stand-in for a simulation: replicate r's series is series(r), after a row at t = 0. */
function fakeSimulation(replicates: number, steps: number, series: (r: number) => number[], atZero = 1000): Simulation {
  const times = steps + 1;
  const values = new Float64Array(replicates * times);
  for (let r = 0; r < replicates; r++) {
    values[r * times] = atZero;
    values.set(series(r), r * times + 1);
  }
  return { values, shape: { replicates, times, outputs: 1, tangents: 0 }, outputNames: ['x'] } as unknown as Simulation;
}

function observedOf(series: number[]) {
  return { data: Float64Array.from(series), rows: series.length, outputs: 1 };
}

const rowOf = (rows: PredictiveCheckRow[], statistic: string) => rows.find((r) => r.statistic === statistic)!;

test('p-values: two-sided tail probabilities with the observed series counted as one draw', (t) => {
  // 999 simulated series whose final value is r = 0..998.
  const sim = fakeSimulation(999, 4, (r) => [0, 1, 2, r]);
  const statistics = resolveStatistics(undefined);
  const at = (final: number) => rowOf(checkSimulation(sim, observedOf([0, 1, 2, final]), 1, statistics), 'final');
  // Below all: P(T <= obs) = (1 + 0)/1000, p = 0.002.
  let row = at(-1);
  t.is(row.lowerTail, 1 / 1000);
  t.is(row.upperTail, 1);
  t.is(row.pValue, 2 / 1000);
  t.true(row.flagged);
  // Equal to the smallest: ties count on both sides, (1 + 1)/1000, p = 0.004 < 0.005.
  row = at(0);
  t.is(row.lowerTail, 2 / 1000);
  t.is(row.pValue, 4 / 1000);
  t.true(row.flagged);
  // Equal to the second smallest: (1 + 2)/1000, p = 0.006, not flagged.
  row = at(1);
  t.is(row.pValue, 6 / 1000);
  t.false(row.flagged);
  // Above all, on the other side.
  row = at(5000);
  t.is(row.upperTail, 1 / 1000);
  t.is(row.pValue, 2 / 1000);
  // The middle: capped at 1.
  row = at(499);
  t.is(row.pValue, 1);
  t.is(row.draws, 999);
  t.is(row.nonFinite, 0);
  // Type-7 quantiles of 0..998: (n − 1) p.
  const expected = { q005: 4.99, q05: 49.9, q50: 499, q95: 948.1, q995: 993.01 };
  for (const [key, value] of Object.entries(expected)) t.true(close(row.quantiles[key as keyof typeof expected], value), key);
  t.is(row.mean, 499);
  t.is(predictiveCheckFlagLevel, 0.005);
});

test('rows: every built-in statistic in order, then user statistics; the series skips t = 0 when the data do', (t) => {
  const sim = fakeSimulation(400, 6, (r) => [1, -1, 2, -2, 3, r % 7]);
  const statistics = resolveStatistics([function range(x: Float64Array) { return seriesMax(x) - seriesMin(x); }, { name: 'first', statistic: (x: Float64Array) => x[0]! }]);
  const rows = checkSimulation(sim, observedOf([1, -1, 2, -2, 3, 3]), 1, statistics);
  t.deepEqual(rows.map((r) => r.statistic), ['mean', 'sd', 'acf1', 'acf1Abs', 'excessKurtosis', 'min', 'max', 'final', 'range', 'first']);
  t.deepEqual(rows.map((r) => r.label).slice(0, 8), ['mean', 'standard deviation', 'lag-1 autocorrelation', 'lag-1 autocorrelation of |x|', 'excess kurtosis', 'minimum', 'maximum', 'final value']);
  t.true(rows.every((r) => r.output === 'x'));
  // The value 1000 at t = 0 is never compared.
  t.true(rowOf(rows, 'max').quantiles.q995 <= 6);
  t.is(rowOf(rows, 'first').quantiles.q50, 1);
  t.is(rowOf(rows, 'first').pValue, 1);
  // With the observed data from t = 0, row 0 is compared with t = 0.
  const fromZero = checkSimulation(sim, observedOf([1000, 1, -1, 2, -2, 3, 3]), 0, statistics);
  t.is(rowOf(fromZero, 'first').quantiles.q50, 1000);
});

test('non-finite statistics: simulated ones are left out and counted; an undefined observed one gives p NaN, not a flag', (t) => {
  const sim = fakeSimulation(500, 5, (r) => [r, 1, 2, 3, 4]);
  const statistics = resolveStatistics({ spiky: (x: Float64Array) => (x[0]! % 5 === 0 ? NaN : x[0]! % 5 === 1 ? Infinity : x[0]!) });
  const rows = checkSimulation(sim, observedOf([7, 1, 2, 3, 4]), 1, statistics);
  const spiky = rowOf(rows, 'spiky');
  t.is(spiky.nonFinite, 200);
  t.is(spiky.draws, 300);
  t.true(Number.isFinite(spiky.pValue) && Number.isFinite(spiky.quantiles.q50));
  // A constant observed series: no autocorrelation or kurtosis to compare.
  const flat = checkSimulation(sim, observedOf([2, 2, 2, 2, 2]), 1, statistics);
  for (const name of ['acf1', 'acf1Abs', 'excessKurtosis']) {
    const row = rowOf(flat, name);
    t.true(Number.isNaN(row.observed) && Number.isNaN(row.pValue), name);
    t.false(row.flagged, name);
    t.true(Number.isFinite(row.quantiles.q50), `${name}: the predictive side is still shown`);
  }
  // Every simulated statistic undefined: quantiles and p are NaN.
  const none = checkSimulation(fakeSimulation(400, 3, () => [1, 1, 1]), observedOf([1, 2, 3]), 1, resolveStatistics(undefined));
  const kurtosis = rowOf(none, 'excessKurtosis');
  t.is(kurtosis.draws, 0);
  t.is(kurtosis.nonFinite, 400);
  t.true(Number.isNaN(kurtosis.quantiles.q50) && Number.isNaN(kurtosis.pValue) && !kurtosis.flagged);
});

test('user statistics: a wrong return type or a throw names the statistic and the series', (t) => {
  const sim = fakeSimulation(400, 3, (r) => [r, 1, 2]);
  const observed = observedOf([1, 2, 3]);
  const wrong = resolveStatistics({ text: () => 'high' as unknown as number });
  t.throws(() => checkSimulation(sim, observed, 1, wrong), { instanceOf: TypeError, message: /statistic 'text' \(on the observed series of x\) must be a function returning a number, got 'high'/ });
  const throwing = resolveStatistics({ boom: (x: Float64Array) => { if (x[0]! > 10) throw new Error('too big'); return 0; } });
  t.throws(() => checkSimulation(sim, observed, 1, throwing), { message: /statistic 'boom' failed on simulated series 11 of x: too big/ });
});

// ---------------------------------------------------------------------------------------------
// posteriorPredictiveCheck on models

/** A posterior concentrated at `theta` (one tiny step from there). */
async function posteriorAt(model: Model, theta: Record<string, number>, observed: ObservedInput, parameters: string[], loss: LossName = 'mmd') {
  const result = await fit(model, observed, { parameters, fixed: theta, initialMean: theta, initialScale: 1e-4, epochs: 1, lr: 1e-6, samplesPerEpoch: 2, seed: 1, loss });
  return result.posterior;
}

// The volatility model where it has fat tails and volatility clustering (sigmaEps · eta small).
const clustered = { muLN: 1, sigmaLN: 0.5, sigmaEps: 0.002, eta: 1 };
const steps = 600;
const volatility = models.volatility({ agents: 1000, steps });

async function volatilityRecord(seed: number): Promise<number[]> {
  const sim = await simulate(volatility, clustered, { seed, discrete: { mode: 'exact' } });
  return Array.from(sim.values.subarray(1));
}

test('volatility: data simulated by the model at the posterior pass every check', async (t) => {
  const observed = await volatilityRecord(777);
  const posterior = await posteriorAt(volatility, clustered, observed, ['sigmaEps', 'eta']);
  const rows = await posteriorPredictiveCheck(volatility, posterior, observed, { draws: 1000, seed: 3 });
  t.is(rows.length, 8);
  for (const row of rows) {
    t.false(row.flagged, `${row.statistic}: observed ${row.observed}, p ${row.pValue}`);
    t.true(row.pValue > 0.02, `${row.statistic}: p ${row.pValue}`);
    t.is(row.draws + row.nonFinite, 1000);
  }
  // The model's own stylised facts are there: fat tails and clustering.
  t.true(rowOf(rows, 'excessKurtosis').quantiles.q05 > 1, `kurtosis ${JSON.stringify(rowOf(rows, 'excessKurtosis').quantiles)}`);
  t.true(rowOf(rows, 'acf1Abs').quantiles.q05 > 0.05, `|r| ACF ${JSON.stringify(rowOf(rows, 'acf1Abs').quantiles)}`);
  // Reproducible by seed; observed data from t = 0 (r(0) = 0 included) are accepted too.
  t.deepEqual(await posteriorPredictiveCheck(volatility, posterior, observed, { draws: 1000, seed: 3 }), rows);
  const withZero = await posteriorPredictiveCheck(volatility, posterior, [0, ...observed], { draws: 400, seed: 3 });
  t.is(withZero.length, 8);
});

test('volatility: i.i.d. Gaussian and AR(1) data of the same scale are flagged on kurtosis, clustering and autocorrelation', async (t) => {
  const record = await volatilityRecord(778);
  const posterior = await posteriorAt(volatility, clustered, record, ['sigmaEps', 'eta']);
  const sd = standardDeviation(record);
  const gaussian = normals(21, steps, 0, sd);
  const iid = await posteriorPredictiveCheck(volatility, posterior, gaussian, { draws: 1000, seed: 4 });
  for (const name of ['excessKurtosis', 'acf1Abs']) {
    const row = rowOf(iid, name);
    t.true(row.flagged, `Gaussian data, ${name}: observed ${row.observed}, predictive ${JSON.stringify(row.quantiles)}, p ${row.pValue}`);
    t.true(row.observed < row.quantiles.q005, `${name}: the data have less than the model`);
  }
  t.false(rowOf(iid, 'acf1').flagged, 'no autocorrelation in either');
  t.false(rowOf(iid, 'mean').flagged);

  const noise = normals(22, steps);
  const ar = [noise[0]!];
  for (let i = 1; i < steps; i++) ar.push(0.5 * ar[i - 1]! + noise[i]!);
  const scale = sd / standardDeviation(ar);
  const rows = await posteriorPredictiveCheck(volatility, posterior, ar.map((x) => x * scale), { draws: 1000, seed: 5 });
  const acf1 = rowOf(rows, 'acf1');
  t.true(acf1.flagged && acf1.observed > 0.4, `AR(1), lag-1 autocorrelation ${acf1.observed}, p ${acf1.pValue}`);
  t.true(rowOf(rows, 'excessKurtosis').flagged);
});

test('posteriorPredictiveCheck: user statistics given as an object or an array become rows of every output', async (t) => {
  const model = models.sir({ agents: 2000, steps: 30 });
  const truth = model.reference;
  const sim = await simulate(model, truth, { seed: 2, discrete: { mode: 'exact' } });
  const observed = Array.from({ length: 30 }, (_, i) => [sim.value(0, i + 1, 0), sim.value(0, i + 1, 1)]);
  const p = await posteriorAt(model, truth, observed, ['beta', 'gamma'], 'logMse');
  const peak = (x: Float64Array) => x.indexOf(seriesMax(x));
  const rows = await posteriorPredictiveCheck(model, p, observed, { draws: 400, statistics: [function total(x: Float64Array) { return x.reduce((a, v) => a + v, 0); }, { name: 'peak day', statistic: peak }] });
  t.deepEqual([...new Set(rows.map((r) => r.output))], model.outputs);
  t.is(rows.length, 2 * 10);
  t.deepEqual(rows.slice(8, 10).map((r) => r.statistic), ['total', 'peak day']);
  const objectForm = await posteriorPredictiveCheck(model, p, observed, { draws: 400, statistics: { total: (x) => x.reduce((a, v) => a + v, 0) } });
  t.is(rowOf(objectForm, 'total').pValue, rows[8]!.pValue);
});

test('posteriorPredictiveCheck: option errors name the option and what it may be', async (t) => {
  const model = models.randomWalk({ agents: 50, steps: 20 });
  const observed = Array.from({ length: 20 }, (_, i) => i * 0.1);
  const { posterior } = await fit(model, observed, { loss: 'mse', epochs: 1, seed: 1 });
  const check = (options: object) => posteriorPredictiveCheck(model, posterior, observed, options);
  await t.throwsAsync(check({ draws: 100 }), { instanceOf: RangeError, message: /^draws must be an integer in \[400, 1000000\] \(with n draws the smallest p-value is 2 \/ \(n \+ 1\).*got 100$/ });
  await t.throwsAsync(check({ draws: 1000.5 }), { instanceOf: RangeError, message: /^draws must be an integer in \[400/ });
  await t.throwsAsync(check({ draws: '1000' }), { instanceOf: TypeError, message: /^draws must be an integer.*got '1000'$/ });
  await t.throwsAsync(check({ seed: -1 }), { instanceOf: RangeError, message: /^seed must be an integer in \[0, 2\^53 - 1\], got -1$/ });
  await t.throwsAsync(check({ statistics: 5 }), { instanceOf: TypeError, message: /^statistics must be an object \{ name: \(series, output\) => number \} or an array of named statistics, got 5$/ });
  await t.throwsAsync(check({ statistics: { q: 3 } }), { instanceOf: TypeError, message: /^statistics\.q must be a function \(series, output\) => number, got 3$/ });
  await t.throwsAsync(check({ statistics: [(x: Float64Array) => x[0]!] }), { instanceOf: TypeError, message: /^statistics\[0\] must be a named function or \{ name, statistic \}/ });
  await t.throwsAsync(check({ statistics: [{ name: '', statistic: () => 0 }] }), { instanceOf: TypeError, message: /^statistics\[0\] name must be a non-empty string/ });
  await t.throwsAsync(check({ statistics: { mean: () => 0 } }), { instanceOf: RangeError, message: /'mean' is a built-in statistic/ });
  await t.throwsAsync(check({ statistics: [{ name: 'a', statistic: () => 0 }, { name: 'a', statistic: () => 1 }] }), { instanceOf: RangeError, message: /'a' is given twice/ });
  await t.throwsAsync(check({ signal: 'stop' }), { instanceOf: TypeError, message: /^signal must be an AbortSignal/ });
  await t.throwsAsync(posteriorPredictiveCheck(model, posterior, observed.slice(0, 10)), { instanceOf: RangeError, message: /posteriorPredictiveCheck: observed has 10 rows but the simulation has 21 time points/ });
  await t.throwsAsync(posteriorPredictiveCheck(model, posterior, [[1, 2], [3, 4]]), { instanceOf: RangeError, message: /observed rows have 2 values but the model has 1 outputs/ });
  await t.throwsAsync(posteriorPredictiveCheck(model, { mean: () => ({}) } as never, observed), { instanceOf: TypeError, message: /^posterior must be a Posterior/ });
  await t.throwsAsync(posteriorPredictiveCheck('randomWalk' as never, posterior, observed), { instanceOf: TypeError, message: /^model must be a model/ });
  // checkSetup is what agentgrad fit validates with: the defaults.
  const setup = checkSetup(model, posterior, observed, {});
  t.is(setup.draws, 1000);
  t.is(setup.seed, 0);
  t.is(setup.first, 1);
  // An aborted signal stops it.
  const controller = new AbortController();
  controller.abort();
  await t.throwsAsync(check({ signal: controller.signal }), { name: 'AbortError' });
});

// ---------------------------------------------------------------------------------------------
// The report

function reportRow(statistic: string, observed: number, flagged = false, output = 'r'): ReportCheckRow {
  return { output, statistic, observed, q005: -2, q05: -1, q50: 0, q95: 1, q995: 2, pValue: flagged ? 0.002 : 0.5, flagged };
}

function reportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return { title: 'fit', summary: [], history: [], parameters: [], predictive: [], posteriorTable: [], ...overrides };
}

const checksSection = (html: string) => html.match(/<section id="checks">[\s\S]*?<\/section>/)![0];

test('report: the checks section draws a strip per row, marks the observed value and highlights flagged rows', async (t) => {
  const rows = [reportRow('mean', 0.1), reportRow('excess kurtosis', 9, true), reportRow('minimum', Number.NaN), reportRow('maximum', 1e6, true)];
  const html = await renderReport(reportInput({ predictiveChecks: { draws: 1000, level: 0.005, rows } }));
  const section = checksSection(html);
  t.true(section.includes('<h2>Posterior predictive checks</h2>'));
  t.is((section.match(/<svg[^>]*class="strip"/g) ?? []).length, 4);
  t.is((section.match(/<tr class="flagged">/g) ?? []).length, 2);
  t.regex(section, /2 of 4 statistics flagged \(p &lt; 0\.005\): excess kurtosis \(observed 9, predictive 90% -1 to 1\); maximum/);
  t.regex(section, /over 1000 series/);
  // Within the predictive range: a diamond at its place; mean 0.1 on a scale from -2 to 2 (pad 7 of 240).
  t.regex(section, /aria-label="observed 0\.1; predictive median 0, 90% -1 to 1"/);
  t.regex(section, /<path d="M125\.7,5L130\.7,11L125\.7,17L120\.7,11Z"/);
  // Far outside: an arrow at the edge, said in words.
  t.regex(section, /observed 1\.000e\+6 \(off the scale, above\)/);
  // Undefined: no marker.
  t.regex(section, /observed value not defined; predictive median 0/);
  t.regex(section, /<td class="num">undefined<\/td>/);
  t.regex(section, /0\.002 <span class="flag">flagged<\/span>/);
  // One output: no output column.
  t.false(section.includes('>output</th>'));
});

test('report: with several outputs the rows name them; with no flags it says so; without checks a placeholder', async (t) => {
  const rows = [reportRow('mean', 0, false, 'I'), reportRow('mean', 0, false, 'R')];
  const section = checksSection(await renderReport(reportInput({ predictiveChecks: { draws: 400, level: 0.005, rows } })));
  t.true(section.includes('>output</th>'));
  t.regex(section, /No statistic flagged/);
  t.true(checksSection(await renderReport(reportInput())).includes('No posterior predictive checks.'));
  // More than three flags: the summary names them by output, the table has the numbers.
  const many = ['mean', 'minimum', 'maximum'].flatMap((name) => [reportRow(name, 5, true, 'I'), reportRow(name, 5, name !== 'mean', 'R')]);
  t.regex(checksSection(await renderReport(reportInput({ predictiveChecks: { draws: 1000, level: 0.005, rows: many } }))),
    /5 of 6 statistics flagged \(p &lt; 0\.005\): mean, minimum, maximum of I; minimum, maximum of R\. The model/);
  const nasty = '<b>&"';
  const escaped = checksSection(await renderReport(reportInput({ predictiveChecks: { draws: 400, level: 0.005, rows: [reportRow(nasty, 1, true, nasty), reportRow('x', 0, false, 'o')] } })));
  t.false(escaped.includes(nasty));
  t.true(escaped.includes('&lt;b&gt;&amp;&quot;'));
});

test('report: a positive parameter whose prior spans decades around a narrow posterior gets a log axis', async (t) => {
  const wide = normals(31, 2000, Math.log(0.01), 2).map(Math.exp);
  const narrow = normals(32, 2000, Math.log(0.006), 0.08).map(Math.exp);
  const html = await renderReport(reportInput({
    parameters: [
      { name: 'sigmaEps', prior: wide, posterior: narrow },
      { name: 'beta', prior: normals(33, 2000, 0.5, 0.1).map(Math.exp), posterior: normals(34, 2000, 0.5, 0.02).map(Math.exp) },
      { name: 'g', prior: normals(35, 2000, 0, 3), posterior: normals(36, 2000, 0.2, 0.01) },
    ],
  }));
  const panels = html.match(/<section id="marginals">[\s\S]*?<\/section>/)![0].match(/<svg[\s\S]*?<\/svg>/g)!;
  t.true(panels[0]!.includes('sigmaEps (log scale)') && panels[0]!.includes('density of log sigmaEps'));
  t.false(panels[1]!.includes('log scale'), 'a factor below 100: linear');
  t.false(panels[2]!.includes('log scale'), 'not positive: linear');
  t.is((panels[0]!.match(/class="mark-area[^"]*"[^>]*><path[^>]*\bd="M/g) ?? []).length, 2);
});
