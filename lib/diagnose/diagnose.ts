// diagnose(): is the posterior that a fit recipe produces calibrated? Simulation-based calibration
// and expected coverage: draw θ* from the prior, simulate data at θ*, fit with the recipe, and see
// where θ* falls in the posterior, over many independent simulations run in parallel.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

import { integerOption, invalidType, isPlainObject } from '../errors.js';
import { isModel, type Model } from '../models/model.js';
import { programIdentity } from '../models/programIdentity.js';
import type { Prior } from '../gvi/priors.js';
import { binomialInterval } from './distributions.js';
import { coverageLevels, coverageOf, defaultBins, rankHistogram, uniformityPValue } from './calibration.js';
import { isFailed, type FailedFit, type FitOutcome } from './oneFit.js';
import { checkClusterOptions, type ClusterOptions } from '../cluster/options.js';
import { runFits, type Outcome } from './pool.js';
import { openRecord } from './record.js';
import { diagnoseReportInput, writeDiagnoseReport } from './report.js';
import { checkFitOptions, resolveParameters, type DiagnoseFitOptions, type Recipe } from './recipe.js';

export interface DiagnoseProgress {
  /** Fits finished, including those found in the record. */
  done: number;
  total: number;
  /** The fit that just finished (undefined for the first report of a resumed run). */
  last?: FitOutcome | FailedFit;
  seconds: number;
}

export interface DiagnoseOptions {
  /** Priors of the free parameters, as for fit (default: fit's defaults). The truths are drawn from them. */
  prior?: Prior | Record<string, Prior>;
  /** Parameters to calibrate (default all); the others stay at `fixed` or the model's reference values. */
  parameters?: readonly string[];
  fixed?: Record<string, number>;
  /** The fit recipe under test. */
  fit?: DiagnoseFitOptions;
  /** Prior draws, each simulated and fitted (default 100). */
  simulations?: number;
  /** Posterior draws per fit the truth is ranked among (default 999: ranks 0..999). */
  draws?: number;
  /** Bins of the rank histograms and of the uniformity test (default: about 5 fits per bin, at most 20). */
  bins?: number;
  /** Fits run at once (default: the CPU threads available; each fit then uses one thread). */
  concurrency?: number;
  /**
   * Run the fits as tasks on a NATS JetStream cluster of `agentgrad worker` processes (see fit's
   * `cluster`); fit.loss must then be a name. The result is the same as in one process.
   */
  cluster?: ClusterOptions;
  /** A JSON-lines file of finished fits: a rerun with the same settings skips them. */
  record?: string;
  /** Write the HTML report (verdicts, rank histograms with their band, the coverage curve) to this path. */
  report?: string;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (progress: DiagnoseProgress) => void;
}

export interface SbcSummary {
  /** Rank of the truth among the posterior draws, per simulation (in index order). */
  ranks: number[];
  /** p-value of a χ² test that the ranks are uniform. */
  pValue: number;
  /** Counts of the ranks in `bins` equal bins. */
  histogram: number[];
  /** Counts each bin stays within with probability 0.99 when calibrated. */
  band: [number, number];
}

export interface CoveragePoint {
  /** Nominal level of the central interval. */
  level: number;
  /** Share of simulations whose truth it holds. */
  observed: number;
  /** The share stays within this range with probability 0.95 when calibrated. */
  band: [number, number];
}

export interface DiagnoseResult {
  sbc: Record<string, SbcSummary>;
  coverage: Record<string, CoveragePoint[]>;
  /** Every finished fit, in index order. */
  fits: FitOutcome[];
  /** Fits that failed (their data broke the fit); left out of sbc and coverage. */
  failed: FailedFit[];
  simulations: number;
  draws: number;
  bins: number;
  /** True when the signal stopped the run; the summaries cover the fits finished so far. */
  aborted: boolean;
  seconds: number;
}


function identityOf(recipe: Recipe): Record<string, unknown> {
  const { model, fit, ...rest } = recipe;
  return {
    model: model.name,
    ...(model.program ? { program: programIdentity(model.program) } : {}),
    settings: model.settings,
    fit,
    ...rest,
  };
}

export function summarise(outcomes: readonly FitOutcome[], names: readonly string[], draws: number, bins: number): Pick<DiagnoseResult, 'sbc' | 'coverage'> {
  const n = outcomes.length;
  const binBand = n > 0 ? binomialInterval(n, 1 / bins, 0.99) : ([0, 0] as [number, number]);
  const sbc: Record<string, SbcSummary> = {};
  const coverage: Record<string, CoveragePoint[]> = {};
  for (const name of names) {
    const ranks = outcomes.map((o) => o.ranks[name]!);
    sbc[name] = { ranks, pValue: uniformityPValue(ranks, draws, bins), histogram: rankHistogram(ranks, draws, bins), band: binBand };
    coverage[name] = coverageOf(outcomes.map((o) => o.inside[name]!), coverageLevels).map(({ level, observed }) => {
      const [low, high] = n > 0 ? binomialInterval(n, level, 0.95) : [NaN, NaN];
      return { level, observed, band: [low / n, high / n] as [number, number] };
    });
  }
  return { sbc, coverage };
}

/** Simulation-based calibration and coverage of the posteriors that `options.fit` produces on `model`. */
export async function diagnose(model: Model, options: DiagnoseOptions = {}): Promise<DiagnoseResult> {
  if (!isModel(model)) throw invalidType('model', 'a model from agentgrad models.*() or defineModel', model);
  if (!isPlainObject(options as unknown)) throw invalidType('options', 'an object', options);
  const fitOptions = checkFitOptions(options.fit);
  const simulations = integerOption('simulations', options.simulations, 100, 2, 1_000_000);
  const draws = integerOption('draws', options.draws, 999, 9, 100_000);
  const bins = integerOption('bins', options.bins, defaultBins(simulations), 2, Math.min(draws + 1, 1000));
  const seed = integerOption('seed', options.seed, 0, 0, Number.MAX_SAFE_INTEGER);
  const threadsPerFit = fitOptions.threads ?? 1;
  const concurrency = integerOption('concurrency', options.concurrency, Math.max(1, Math.floor(availableParallelism() / threadsPerFit)), 1, 1024);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw invalidType('signal', 'an AbortSignal', options.signal);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw invalidType('onProgress', 'a function', options.onProgress);
  if (options.record !== undefined && typeof options.record !== 'string') throw invalidType('record', 'a file path', options.record);
  if (options.report !== undefined && typeof options.report !== 'string') throw invalidType('report', 'a file path', options.report);

  const parameters = resolveParameters(model, options.parameters, options.prior);
  const fixed = { ...model.reference, ...(options.fixed ?? {}) };
  for (const p of parameters) delete fixed[p.name];
  const { loss, ...portable } = fitOptions;
  const lossOf = typeof loss === 'function' ? loss : undefined;
  const cluster = options.cluster === undefined ? undefined : checkClusterOptions(options.cluster);
  if (cluster && lossOf) throw new TypeError('fit.loss must be a loss name with cluster: a function cannot travel to the workers');
  const recipe: Recipe = { model, parameters, fixed, fit: { ...portable, ...(typeof loss === 'string' ? { loss } : {}) }, seed, draws };

  const start = performance.now();
  const record = options.record === undefined ? undefined : openRecord(options.record, { ...identityOf(recipe), ...(lossOf ? { loss: String(lossOf) } : {}) });
  const outcomes = new Map<number, Outcome>();
  for (const [index, outcome] of record?.done ?? []) if (index < simulations) outcomes.set(index, outcome);
  const report = (last?: Outcome) => options.onProgress?.({ done: outcomes.size, total: simulations, ...(last ? { last } : {}), seconds: (performance.now() - start) / 1000 });
  if (outcomes.size > 0) report();
  const pending = Array.from({ length: simulations }, (_, i) => i).filter((i) => !outcomes.has(i));

  let aborted = false;
  try {
    await runFits(recipe, pending, {
      concurrency,
      ...(cluster ? { cluster } : {}),
      signal: options.signal,
      lossOf,
      onOutcome(outcome) {
        outcomes.set(outcome.index, outcome);
        record?.append(outcome);
        report(outcome);
      },
    });
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
    aborted = true;
  }

  const ordered = [...outcomes.values()].sort((a, b) => a.index - b.index);
  const fits = ordered.filter((o): o is FitOutcome => !isFailed(o));
  const failed = ordered.filter(isFailed);
  const result: DiagnoseResult = {
    ...summarise(fits, parameters.map((p) => p.name), draws, bins),
    fits,
    failed,
    simulations,
    draws,
    bins,
    aborted,
    seconds: (performance.now() - start) / 1000,
  };
  if (options.report !== undefined) await writeDiagnoseReport(options.report, diagnoseReportInput(model, recipe, result, lossOf !== undefined));
  return result;
}
