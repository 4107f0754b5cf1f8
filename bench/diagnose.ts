// diagnose: wall time and fits per minute of simulation-based calibration of the reference
// volatility recipe (σε, η free; MMD, data-derived weight, full-rank Gaussian), on one thread and
// on every core (worker threads, one fit each); and, in the full run, how the family, the start,
// the epochs and the weight change its calibration (docs/diagnostics.md).
import { availableParallelism } from 'node:os';

import { diagnose, models, priors, type DiagnoseFitOptions } from '../lib/index.js';

export interface DiagnoseRow {
  recipe: string;
  simulations: number;
  concurrency: number;
  seconds: number;
  fitsPerMinute: number;
  failed: number;
  pValue: Record<string, number>;
  coverage90: Record<string, number>;
}

async function row(recipe: string, fit: DiagnoseFitOptions, simulations: number, concurrency: number): Promise<DiagnoseRow> {
  const model = models.volatility();
  const result = await diagnose(model, {
    parameters: ['sigmaEps', 'eta'],
    prior: { sigmaEps: priors.logNormal(0, 1), eta: priors.logNormal(0, 1) },
    fit,
    simulations,
    concurrency,
    seed: 1,
  });
  const names = Object.keys(result.sbc);
  return {
    recipe,
    simulations,
    concurrency,
    seconds: result.seconds,
    fitsPerMinute: (60 * result.fits.length) / result.seconds,
    failed: result.failed.length,
    pValue: Object.fromEntries(names.map((n) => [n, result.sbc[n]!.pValue])),
    coverage90: Object.fromEntries(names.map((n) => [n, result.coverage[n]!.find((c) => Math.abs(c.level - 0.9) < 1e-9)!.observed])),
  };
}

export async function diagnoseRows(options: { quick: boolean }): Promise<DiagnoseRow[]> {
  const simulations = options.quick ? 10 : 100;
  const cores = availableParallelism();
  const epochs = options.quick ? 50 : 200;
  const shortened: DiagnoseFitOptions = { loss: 'mmd', epochs, lr: 0.05 };
  const label = `${epochs} epochs at lr 0.05`;
  const rows = [
    await row(`full-rank Gaussian, ${label}`, shortened, simulations, 1),
    await row(`full-rank Gaussian, ${label}`, shortened, simulations, cores),
  ];
  if (options.quick) return rows;
  // What decides calibration here: the family, the start, the epochs and the weight, one at a time.
  const diagonal: DiagnoseFitOptions = { ...shortened, family: 'diagonal-gaussian' };
  rows.push(
    await row(`diagonal Gaussian, ${label}`, diagonal, simulations, cores),
    await row(`diagonal Gaussian, ${label}, initialScale 1`, { ...diagonal, initialScale: 1 }, simulations, cores),
    await row('full-rank Gaussian, 400 epochs at lr 0.05, cosine', { ...shortened, epochs: 400, lrSchedule: 'cosine' }, simulations, cores),
    await row(`full-rank Gaussian, ${label}, w = 2/n`, { ...shortened, weight: 0.02 }, simulations, cores),
    await row("fit()'s defaults (full-rank, 500 epochs at lr 0.01)", {}, simulations, cores),
    await row('diagonal Gaussian, 500 epochs at lr 0.01', { family: 'diagonal-gaussian' }, simulations, cores),
  );
  return rows;
}

export function diagnoseMarkdown(rows: readonly DiagnoseRow[]): string {
  const lines = [
    '| recipe | simulations | fits at once | wall time | fits per minute | failed | uniformity p (σε, η) | 90% coverage (σε, η) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.recipe} | ${r.simulations} | ${r.concurrency} | ${r.seconds.toFixed(1)} s | ${r.fitsPerMinute.toFixed(1)} | ${r.failed} | ` +
        `${Object.values(r.pValue).map((p) => p.toPrecision(2)).join(', ')} | ${Object.values(r.coverage90).map((c) => c.toFixed(2)).join(', ')} |`,
    );
  }
  return lines.join('\n');
}
