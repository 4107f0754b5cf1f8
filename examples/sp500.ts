// Real data: the volatility model (Cont 2007) calibrated to monthly S&P 500 log returns (Robert
// Shiller's series, examples/data/README.md), with posterior predictive checks of the stylised facts.
//
//   npx tsc -p tsconfig.json && node dist/examples/sp500.js [--months 1200] [--epochs 200] [--out sp500-fit]
//
// Prints the posterior and the check table and writes posterior.json, checks.csv and report.html.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

import { buildReport } from '../lib/cli/fit-command.js';
import { fit, models, posteriorPredictiveCheck, priors, type FitResult, type Model, type PredictiveCheckRow } from '../lib/index.js';
import { renderReport } from '../lib/report/report.js';

/** examples/data, from the source file and from its build in dist/examples alike. */
export const dataDir = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.split(/[\\/]/).at(-2) === 'dist' ? join(here, '..', '..', 'examples', 'data') : join(here, 'data');
})();
export const levelsPath = join(dataDir, 'sp500-monthly.csv');
export const returnsPath = join(dataDir, 'sp500-returns.csv');

export interface Sp500Returns {
  /** Month of each return (the month whose average the return ends at), 'YYYY-MM-DD'. */
  dates: string[];
  /** log(P_t / P_{t-1}) of the monthly average index levels. */
  logReturns: number[];
  /** (logReturn − mean) / sd: what the model is fitted to. */
  standardised: number[];
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
}

/** The monthly levels of sp500-monthly.csv (columns Date, SP500). */
export function readLevels(path = levelsPath): { dates: string[]; levels: number[] } {
  const records = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
  const dates = records.map((r) => r['Date']!);
  const levels = records.map((r, i) => {
    const level = Number(r['SP500']);
    if (!(level > 0)) throw new RangeError(`${path} row ${i + 2}: SP500 '${r['SP500']}' is not a positive number`);
    return level;
  });
  return { dates, levels };
}

/** Log returns of the last `months` months (default: every month of the series). */
export function sp500Returns(months?: number, path = levelsPath): Sp500Returns {
  const { dates, levels } = readLevels(path);
  const all = levels.slice(1).map((level, i) => Math.log(level / levels[i]!));
  const count = months ?? all.length;
  if (!Number.isInteger(count) || count < 2 || count > all.length) throw new RangeError(`months must be an integer in [2, ${all.length}], got ${months}`);
  const logReturns = all.slice(-count);
  const mean = logReturns.reduce((a, r) => a + r, 0) / count;
  const sd = Math.sqrt(logReturns.reduce((a, r) => a + (r - mean) ** 2, 0) / (count - 1));
  return { dates: dates.slice(1).slice(-count), logReturns, standardised: logReturns.map((r) => (r - mean) / sd), mean, sd };
}

/** The returns as a CSV that `agentgrad fit --data` reads (its `r` column is the standardised return). */
export function returnsCsv(returns: Sp500Returns): string {
  return stringify(
    returns.dates.map((date, i) => [date, returns.logReturns[i]!.toPrecision(12), returns.standardised[i]!.toPrecision(12)]),
    { header: true, columns: ['date', 'logReturn', 'r'] },
  );
}

export interface Sp500Options {
  /** Months of returns, the most recent (default 1200: July 1926 to June 2026). */
  months?: number;
  epochs?: number;
  /** Traders in the model (default 1000). */
  agents?: number;
  /** Posterior draws of the predictive checks (default 1000). */
  draws?: number;
  seed?: number;
  /** Sharpness k of the threshold surrogate sigmoid(k (x − a)) in the fit's gradients (default 5, the simulator's). */
  sharpness?: number;
  onEpoch?: (epoch: number, loss: number) => void;
  signal?: AbortSignal;
}

export interface Sp500Calibration {
  returns: Sp500Returns;
  model: Model;
  result: FitResult;
  checks: PredictiveCheckRow[];
  /** Seconds of the fit and of the checks. */
  seconds: { fit: number; checks: number };
}

/**
 * Fits models.volatility({ steps: months }) to the standardised returns with the MMD loss and the
 * default loss weight, then checks the posterior predictive against the returns.
 *
 * Only sigmaEps and eta are calibrated. The initial thresholds, LogNormal(muLN, sigmaLN), are
 * forgotten within a few dozen steps (each step a tenth of the traders reset theirs to |r|), so a
 * long record says nothing about muLN and sigmaLN: they stay at their reference values. The model's
 * shape depends on sigmaEps · eta (the signal against the thresholds, which scale as 1/eta): fat
 * tails and clustering need it below about 0.02, far from the default priors' median of 1, so the
 * priors are centred at sigmaEps = 0.01 and eta = 0.1, wide (a factor e² per sd).
 */
export async function calibrateSp500(options: Sp500Options = {}): Promise<Sp500Calibration> {
  const returns = sp500Returns(options.months ?? 1200);
  const model = models.volatility({ agents: options.agents ?? 1000, steps: returns.standardised.length });
  const began = performance.now();
  const result = await fit(model, returns.standardised, {
    parameters: ['sigmaEps', 'eta'],
    prior: { sigmaEps: priors.logNormal(Math.log(0.01), 2), eta: priors.logNormal(Math.log(0.1), 2) },
    ...(options.sharpness === undefined ? {} : { discrete: { sharpness: options.sharpness } }),
    loss: 'mmd',
    epochs: options.epochs ?? 200,
    lr: 0.05,
    lrSchedule: 'cosine',
    seed: options.seed ?? 1,
    ...(options.signal ? { signal: options.signal } : {}),
    onEpoch: (record) => options.onEpoch?.(record.epoch, record.loss),
  });
  const fitted = performance.now();
  const checks = await posteriorPredictiveCheck(model, result.posterior, returns.standardised, {
    draws: options.draws ?? 1000,
    seed: 11, // as agentgrad fit's report, so that report.html shows the same rows
    statistics: extraStatistics,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { returns, model, result, checks, seconds: { fit: (fitted - began) / 1000, checks: (performance.now() - fitted) / 1000 } };
}

/**
 * A statistic the built-in ones miss, given to the checks: the median absolute deviation from the
 * mean in units of the standard deviation, the width of the bulk of the distribution against its
 * overall scale (0.674 for a normal; smaller when most values sit in a narrow peak).
 */
export function medianAbsoluteDeviationRatio(x: Float64Array): number {
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const sd = Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / (x.length - 1));
  const deviations = Float64Array.from(x, (v) => Math.abs(v - mean)).sort();
  const n = deviations.length;
  const median = n % 2 === 1 ? deviations[(n - 1) / 2]! : (deviations[n / 2 - 1]! + deviations[n / 2]!) / 2;
  return median / sd;
}

/** The statistics the example checks besides the built-in ones. */
export const extraStatistics = { 'median |x − mean| / sd': medianAbsoluteDeviationRatio };

const pad = (s: string, n: number) => s.padStart(n);
const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : 'undefined');

/** The check rows as a fixed-width text table. */
export function checkTable(rows: readonly PredictiveCheckRow[]): string {
  const lines = [`${'statistic'.padEnd(30)}${pad('observed', 10)}${pad('median', 10)}${pad('90% interval', 20)}${pad('p', 8)}`];
  for (const r of rows) {
    const interval = `${fmt(r.quantiles.q05)} to ${fmt(r.quantiles.q95)}`;
    lines.push(`${r.label.padEnd(30)}${pad(fmt(r.observed), 10)}${pad(fmt(r.quantiles.q50), 10)}${pad(interval, 20)}${pad(fmt(r.pValue), 8)}${r.flagged ? '  FLAGGED' : ''}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      months: { type: 'string', default: '1200' },
      epochs: { type: 'string', default: '200' },
      sharpness: { type: 'string' },
      out: { type: 'string', default: 'sp500-fit' },
    },
  });
  const months = Number(values.months);
  const epochs = Number(values.epochs);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const run = await calibrateSp500({
    months,
    epochs,
    ...(values.sharpness === undefined ? {} : { sharpness: Number(values.sharpness) }),
    signal: controller.signal,
    onEpoch: (epoch, loss) => {
      if ((epoch + 1) % 50 === 0) process.stderr.write(`epoch ${epoch + 1}/${epochs}, loss ${loss.toPrecision(4)}\n`);
    },
  });
  const { returns, model, result, checks, seconds } = run;
  console.log(`S&P 500 monthly log returns, ${returns.dates[0]} to ${returns.dates.at(-1)} (${returns.logReturns.length} months): ` +
    `mean ${returns.mean.toFixed(5)}, sd ${returns.sd.toFixed(5)}; fitted standardised.`);
  console.log(`fit: ${result.epochs} epochs in ${seconds.fit.toFixed(1)} s, loss weight ${result.weight.value.toPrecision(3)}; checks: ${seconds.checks.toFixed(1)} s`);
  const mean = result.posterior.mean();
  const q = result.posterior.quantiles([0.05, 0.5, 0.95]);
  console.log('posterior (mean, 90% interval):');
  for (const name of result.posterior.names) console.log(`  ${name.padEnd(9)}${pad(fmt(mean[name]!), 8)}   [${fmt(q[name]![0]!)}, ${fmt(q[name]![2]!)}]`);
  console.log('\nposterior predictive checks:');
  console.log(checkTable(checks));

  await mkdir(values.out!, { recursive: true });
  await writeFile(join(values.out!, 'posterior.json'), JSON.stringify({ data: 'S&P 500 monthly log returns (Robert Shiller), standardised', months, posterior: result.posterior.toJSON() }, null, 2) + '\n');
  await writeFile(join(values.out!, 'checks.csv'), stringify(
    checks.map((r) => [r.output, r.statistic, r.observed, r.quantiles.q005, r.quantiles.q05, r.quantiles.q50, r.quantiles.q95, r.quantiles.q995, r.pValue, r.flagged]),
    { header: true, columns: ['output', 'statistic', 'observed', 'q005', 'q05', 'q50', 'q95', 'q995', 'pValue', 'flagged'] },
  ));
  const summary: Array<[string, string]> = [
    ['model', `${model.name} (${Object.entries(model.settings).map(([k, v]) => `${k} ${v}`).join(', ')})`],
    ['data', `S&P 500 monthly log returns ${returns.dates[0]} to ${returns.dates.at(-1)}, standardised (mean ${returns.mean.toFixed(5)}, sd ${returns.sd.toFixed(5)}); Robert Shiller's series`],
    ['calibrated', 'sigmaEps, eta (muLN, sigmaLN at their reference values: the record does not identify them)'],
    ['epochs', String(result.epochs)],
    ['loss, weight', `mmd, ${result.weight.value.toPrecision(3)} (${result.weight.reason})`],
  ];
  const observed = returns.standardised.map((r) => [r]);
  const report = await buildReport(model, observed, undefined, result, result.weight.value, summary, extraStatistics);
  await writeFile(join(values.out!, 'report.html'), await renderReport({ ...report, title: 'S&P 500 monthly returns — volatility model' }));
  console.log(`\nwrote ${join(values.out!, 'posterior.json')}, checks.csv, report.html`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
