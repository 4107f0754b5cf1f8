// The real-data example (examples/sp500.ts): Robert Shiller's monthly S&P 500 series, the
// volatility model calibrated to its log returns, and the posterior predictive checks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import test from 'ava';

import { calibrateSp500, levelsPath, medianAbsoluteDeviationRatio, readLevels, returnsCsv, returnsPath, sp500Returns } from '../examples/sp500.js';
import { readObserved } from '../lib/cli/read-data.js';
import { normals, repoRoot } from './helpers.js';

const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;

// Computed independently with numpy 1.26 / scipy from examples/data/sp500-monthly.csv:
// r = diff(log(P))[-1200:]; z = (r - r.mean()) / r.std(ddof=1); lag-1 ACF sum(c[:-1] c[1:]) / sum(c²)
// with c = z - z.mean(); excess kurtosis scipy.stats.kurtosis(z) (Fisher, biased).
const known = {
  mean: 0.005351618150538445,
  sd: 0.044186569828704184,
  acf1: 0.26849859072959226,
  acf1Abs: 0.19753326293089538,
  excessKurtosis: 12.019078541357473,
  min: -7.080866256080067,
  max: 9.10022004702605,
  // median(abs(z - z.mean())) / z.std(ddof=1)
  medianAbsoluteDeviationRatio: 0.4870907314459221,
};

test('the shipped levels: Shiller\'s monthly series from January 1871 to June 2026', (t) => {
  const { dates, levels } = readLevels(levelsPath);
  t.is(dates.length, 1866);
  t.deepEqual([dates[0], levels[0]], ['1871-01-01', 4.44]);
  t.is(dates.at(-1), '2026-06-01');
  t.true(levels.every((p) => p > 0));
});

test('the returns: the last 1200 months, and the shipped sp500-returns.csv is what the levels give', async (t) => {
  const returns = sp500Returns(1200);
  t.is(returns.logReturns.length, 1200);
  t.deepEqual([returns.dates[0], returns.dates.at(-1)], ['1926-07-01', '2026-06-01']);
  t.true(close(returns.mean, known.mean, 1e-15));
  t.true(close(returns.sd, known.sd, 1e-15));
  t.is(readFileSync(returnsPath, 'utf8'), returnsCsv(returns));
  // agentgrad fit --data reads its `r` column, the standardised returns.
  const rows = await readObserved(returnsPath, ['r']);
  t.is(rows.length, 1200);
  t.true(rows.every((row, i) => row.length === 1 && close(row[0]!, returns.standardised[i]!, 1e-10)));
  t.throws(() => sp500Returns(1), { instanceOf: RangeError, message: /months must be an integer in \[2, 1865\]/ });
  // A one-column CSV of returns, with or without a header, reads as well.
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-returns-'));
  try {
    for (const [name, text] of [['headed.csv', 'logReturn\n'], ['bare.csv', '']] as const) {
      const path = join(dir, name);
      writeFileSync(path, text + returns.logReturns.map((r) => `${r}\n`).join(''));
      t.deepEqual(await readObserved(path, ['r']), returns.logReturns.map((r) => [r]), name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a short calibration gives check rows with finite numbers and the observed statistics numpy gives', async (t) => {
  const run = await calibrateSp500({ epochs: 3, draws: 400, agents: 300 });
  t.is(run.result.epochs, 3);
  t.deepEqual(run.result.posterior.names, ['sigmaEps', 'eta']);
  // The eight built-in statistics and the example's own.
  t.is(run.checks.length, 9);
  t.is(run.checks[8]!.statistic, 'median |x − mean| / sd');
  for (const row of run.checks) {
    t.is(row.output, 'r');
    t.true(Number.isFinite(row.observed), row.statistic);
    t.true(Object.values(row.quantiles).every(Number.isFinite), `${row.statistic}: ${JSON.stringify(row.quantiles)}`);
    t.true(row.pValue > 0 && row.pValue <= 1, `${row.statistic}: p ${row.pValue}`);
    t.is(row.draws + row.nonFinite, 400);
  }
  const observed = Object.fromEntries(run.checks.map((r) => [r.statistic, r.observed]));
  t.true(close(observed['acf1']!, known.acf1, 1e-9), `lag-1 autocorrelation ${observed['acf1']}`);
  t.true(close(observed['excessKurtosis']!, known.excessKurtosis, 1e-9), `excess kurtosis ${observed['excessKurtosis']}`);
  t.true(close(observed['acf1Abs']!, known.acf1Abs, 1e-9));
  t.true(close(observed['min']!, known.min, 1e-9) && close(observed['max']!, known.max, 1e-9));
  t.true(close(observed['mean']!, 0, 1e-12) && close(observed['sd']!, 1, 1e-12));
  t.true(close(observed['median |x − mean| / sd']!, known.medianAbsoluteDeviationRatio, 1e-9));
  // For a normal sample the ratio is 0.674 (the normal's 75% quantile).
  t.true(close(medianAbsoluteDeviationRatio(Float64Array.from(normals(3, 100_001))), 0.6745, 0.01));
});

test('node dist/examples/sp500.js prints the posterior and the check table and writes the report', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-sp500-'));
  try {
    const script = join(repoRoot, 'dist', 'examples', 'sp500.js');
    const result = spawnSync(process.execPath, [script, '--months', '240', '--epochs', '2', '--out', dir], { encoding: 'utf8', timeout: 5 * 60_000 });
    t.is(result.status, 0, result.stderr);
    t.regex(result.stdout, /S&P 500 monthly log returns, 2006-07-01 to 2026-06-01 \(240 months\)/);
    t.regex(result.stdout, /posterior \(mean, 90% interval\):\n {2}sigmaEps .*\n {2}eta /);
    t.regex(result.stdout, /lag-1 autocorrelation of \|x\| +0\.\d+/);
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    const section = report.match(/<section id="checks">[\s\S]*?<\/section>/)![0];
    t.is((section.match(/<svg[^>]*class="strip"/g) ?? []).length, 9);
    t.true(report.includes('Robert Shiller'));
    const csv = readFileSync(join(dir, 'checks.csv'), 'utf8').trim().split('\n');
    t.is(csv[0], 'output,statistic,observed,q005,q05,q50,q95,q995,pValue,flagged');
    t.is(csv.length, 10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
