// Posterior predictive checks: statistics of the observed series against their distribution over
// series simulated at posterior draws, with two-sided tail probabilities.
import { abortError, invalidType, isPlainObject, outOfRange } from '../errors.js';
import { isModel, type Model } from '../models/model.js';
import { checkOutputs, firstComparedTime, toObserved, type Observed, type ObservedInput } from '../observed.js';
import type { Simulation, SimulateOptions } from '../simulate.js';
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
} from '../stats/series.js';
import type { Posterior } from './posterior.js';
import { posteriorPredictive } from './predictive.js';

/** A statistic of one output's series (the compared time points, in order); NaN where undefined. */
export type SeriesStatistic = (series: Float64Array, output: string) => number;

/** A user statistic given in an array: a named function, or a name with a function. */
export type NamedStatistic = SeriesStatistic | { name: string; statistic: SeriesStatistic };

export interface PredictiveCheckOptions extends Pick<SimulateOptions, 'backend' | 'dtype' | 'threads' | 'maxBytes' | 'signal'> {
  /** Posterior draws, one simulated series each (default 1000; at least 400, see `pValue`). */
  draws?: number;
  /** Seed of the posterior draws and of the simulations (default 0). */
  seed?: number;
  /** Statistics to check besides the built-in ones, `{ name: fn }` or an array of named ones. */
  statistics?: Record<string, SeriesStatistic> | readonly NamedStatistic[];
  /** Estimator mode of the simulations (default { mode: 'exact' }: exact samples of the model). */
  discrete?: SimulateOptions['discrete'];
  /** Parameters set on every draw, as in posteriorPredictive. */
  set?: Record<string, number>;
}

/** Quantiles of the predictive distribution of a statistic at 0.5%, 5%, 50%, 95% and 99.5%. */
export interface PredictiveQuantiles {
  q005: number;
  q05: number;
  q50: number;
  q95: number;
  q995: number;
}

export interface PredictiveCheckRow {
  /** The model output whose series the statistic summarises. */
  output: string;
  /** Key of the statistic: a built-in name (see builtInStatistics) or the user's name. */
  statistic: string;
  /** Readable name, e.g. 'lag-1 autocorrelation of |x|'. */
  label: string;
  /** The statistic of the observed series (NaN where undefined, e.g. the kurtosis of a constant series). */
  observed: number;
  /** Quantiles over the simulated series whose statistic is finite. */
  quantiles: PredictiveQuantiles;
  /** Mean over the simulated series whose statistic is finite. */
  mean: number;
  /** (1 + #{T_rep ≥ T_obs}) / (n + 1) over the n finite simulated values. */
  upperTail: number;
  /** (1 + #{T_rep ≤ T_obs}) / (n + 1). */
  lowerTail: number;
  /**
   * Two-sided tail probability min(1, 2 min(upperTail, lowerTail)). The +1 counts the observed
   * series as one of the draws (the exact p-value of a rank test when the observed series comes from
   * the predictive distribution), so it is never 0: with n draws the smallest is 2 / (n + 1).
   * NaN when the observed statistic or every simulated one is not finite.
   */
  pValue: number;
  /** pValue < predictiveCheckFlagLevel (0.005). */
  flagged: boolean;
  /** Simulated series whose statistic is finite (those the quantiles and tails use). */
  draws: number;
  /** Simulated series whose statistic was NaN or infinite (left out). */
  nonFinite: number;
}

/** Rows with a tail probability below this are flagged. */
export const predictiveCheckFlagLevel = 0.005;

const MIN_DRAWS = 400;
const MAX_DRAWS = 1_000_000;

/** The statistics every check computes for each output, in the order of the rows. */
export const builtInStatistics: ReadonlyArray<{ name: string; label: string; statistic: SeriesStatistic }> = [
  { name: 'mean', label: 'mean', statistic: seriesMean },
  { name: 'sd', label: 'standard deviation', statistic: standardDeviation },
  { name: 'acf1', label: 'lag-1 autocorrelation', statistic: (x) => autocorrelation(x, 1) },
  { name: 'acf1Abs', label: 'lag-1 autocorrelation of |x|', statistic: (x) => absoluteAutocorrelation(x, 1) },
  { name: 'excessKurtosis', label: 'excess kurtosis', statistic: excessKurtosis },
  { name: 'min', label: 'minimum', statistic: seriesMin },
  { name: 'max', label: 'maximum', statistic: seriesMax },
  { name: 'final', label: 'final value', statistic: finalValue },
];

interface ResolvedStatistic {
  name: string;
  label: string;
  statistic: SeriesStatistic;
  user: boolean;
}

function userStatistic(name: unknown, statistic: unknown, where: string): ResolvedStatistic {
  if (typeof name !== 'string' || name.trim() === '') throw invalidType(`${where} name`, 'a non-empty string', name);
  if (typeof statistic !== 'function') throw invalidType(where, 'a function (series, output) => number', statistic);
  return { name, label: name, statistic: statistic as SeriesStatistic, user: true };
}

/** The built-in statistics followed by the user's, with their names checked. */
export function resolveStatistics(statistics: unknown): ResolvedStatistic[] {
  const user: ResolvedStatistic[] = [];
  if (Array.isArray(statistics)) {
    statistics.forEach((entry: unknown, i) => {
      const where = `statistics[${i}]`;
      if (typeof entry === 'function') {
        if (entry.name === '') throw invalidType(where, 'a named function or { name, statistic } (an anonymous function has no name to show)', entry);
        user.push(userStatistic(entry.name, entry, where));
      } else if (isPlainObject(entry)) {
        user.push(userStatistic(entry['name'], entry['statistic'], where));
      } else {
        throw invalidType(where, 'a named function or { name, statistic }', entry);
      }
    });
  } else if (isPlainObject(statistics)) {
    for (const [name, statistic] of Object.entries(statistics)) user.push(userStatistic(name, statistic, `statistics.${name}`));
  } else if (statistics !== undefined) {
    throw invalidType('statistics', 'an object { name: (series, output) => number } or an array of named statistics', statistics);
  }
  const seen = new Set(builtInStatistics.map((s) => s.name));
  for (const s of user) {
    if (seen.has(s.name)) {
      const builtIn = builtInStatistics.some((b) => b.name === s.name);
      throw new RangeError(`statistics: the name '${s.name}' is ${builtIn ? 'a built-in statistic (checked anyway)' : 'given twice'}; choose another`);
    }
    seen.add(s.name);
  }
  return [...builtInStatistics.map((s) => ({ ...s, user: false })), ...user];
}

function evaluate(stat: ResolvedStatistic, series: Float64Array, output: string, what: string): number {
  let value: unknown;
  try {
    value = stat.statistic(series, output);
  } catch (error) {
    if (error instanceof Error) error.message = `statistic '${stat.name}' failed on ${what} of ${output}: ${error.message}`;
    throw error;
  }
  if (typeof value !== 'number') throw invalidType(`statistic '${stat.name}' (on ${what} of ${output})`, 'a function returning a number', value);
  return value;
}

function rowOf(output: string, stat: ResolvedStatistic, observed: number, replicated: Float64Array): PredictiveCheckRow {
  const finite = replicated.filter(Number.isFinite).sort();
  const n = finite.length;
  let atLeast = 0;
  let atMost = 0;
  let sum = 0;
  for (const v of finite) {
    if (v >= observed) atLeast++;
    if (v <= observed) atMost++;
    sum += v;
  }
  const defined = Number.isFinite(observed) && n > 0;
  const upperTail = defined ? (1 + atLeast) / (n + 1) : NaN;
  const lowerTail = defined ? (1 + atMost) / (n + 1) : NaN;
  const pValue = defined ? Math.min(1, 2 * Math.min(upperTail, lowerTail)) : NaN;
  const q = (p: number) => quantileOfSorted(finite, p);
  return {
    output,
    statistic: stat.name,
    label: stat.label,
    observed,
    quantiles: { q005: q(0.005), q05: q(0.05), q50: q(0.5), q95: q(0.95), q995: q(0.995) },
    mean: n > 0 ? sum / n : NaN,
    upperTail,
    lowerTail,
    pValue,
    flagged: pValue < predictiveCheckFlagLevel,
    draws: n,
    nonFinite: replicated.length - n,
  };
}

/**
 * The check rows of `simulation` (one replicate per posterior draw) against `observed`, whose row 0
 * is time `first` of the simulation. One row per output and statistic, outputs outermost.
 */
export function checkSimulation(
  simulation: Simulation,
  observed: Observed,
  first: number,
  statistics: readonly ResolvedStatistic[],
  signal?: AbortSignal,
): PredictiveCheckRow[] {
  const { replicates, times, outputs } = simulation.shape;
  const rows: PredictiveCheckRow[] = [];
  const series = new Float64Array(observed.rows);
  for (let o = 0; o < outputs; o++) {
    const output = simulation.outputNames[o]!;
    const observedSeries = Float64Array.from({ length: observed.rows }, (_, i) => observed.data[i * outputs + o]!);
    const observedValues = statistics.map((s) => evaluate(s, observedSeries, output, 'the observed series'));
    const replicated = statistics.map(() => new Float64Array(replicates));
    for (let r = 0; r < replicates; r++) {
      if (r % 64 === 0 && signal?.aborted) throw abortError();
      for (let i = 0; i < observed.rows; i++) series[i] = simulation.values[((r * times) + first + i) * outputs + o]!;
      statistics.forEach((s, k) => {
        // A user statistic may keep its argument, so it gets its own copy.
        replicated[k]![r] = evaluate(s, s.user ? series.slice() : series, output, `simulated series ${r}`);
      });
    }
    statistics.forEach((s, k) => rows.push(rowOf(output, s, observedValues[k]!, replicated[k]!)));
  }
  return rows;
}

export interface CheckSetup {
  observed: Observed;
  first: number;
  statistics: ResolvedStatistic[];
  draws: number;
  seed: number;
}

/** Validates the arguments of posteriorPredictiveCheck (also used by `agentgrad fit`). */
export function checkSetup(model: Model, posterior: Posterior, observed: ObservedInput, options: PredictiveCheckOptions): CheckSetup {
  if (!isModel(model)) throw invalidType('model', 'a model from agentgrad models.*()', model);
  // Duck-typed, so that a Posterior from another copy of the package is accepted too.
  const candidate = posterior as Partial<Posterior> | null;
  if (typeof candidate?.sample !== 'function' || !isPlainObject(candidate.fixed)) throw invalidType('posterior', 'a Posterior (fit(...).posterior)', posterior);
  if (!isPlainObject(options as unknown)) throw invalidType('options', 'an object', options);
  const data = toObserved(observed);
  checkOutputs(data, model.outputs.length, 'posteriorPredictiveCheck');
  const first = firstComparedTime(data, model.steps + 1, 'posteriorPredictiveCheck');
  const allowed = `an integer in [${MIN_DRAWS}, ${MAX_DRAWS}] (with n draws the smallest p-value is 2 / (n + 1), which must fall below the flag level ${predictiveCheckFlagLevel})`;
  const draws = options.draws ?? 1000;
  if (typeof draws !== 'number') throw invalidType('draws', allowed, draws);
  if (!Number.isInteger(draws) || draws < MIN_DRAWS || draws > MAX_DRAWS) throw outOfRange('draws', allowed, draws);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number') throw invalidType('seed', 'an integer in [0, 2^53 - 1]', seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw outOfRange('seed', 'an integer in [0, 2^53 - 1]', seed);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw invalidType('signal', 'an AbortSignal', options.signal);
  if (options.set !== undefined && !isPlainObject(options.set)) throw invalidType('set', 'an object mapping parameter names to numbers', options.set);
  return { observed: data, first, statistics: resolveStatistics(options.statistics), draws, seed };
}

/**
 * Posterior predictive check: simulates `model` once at each of `draws` posterior draws and, for
 * each output, compares the mean, standard deviation, lag-1 autocorrelation, lag-1 autocorrelation
 * of |x|, excess kurtosis, minimum, maximum and final value (and any user statistic) of the
 * observed series with their distribution over the simulated series at the same time points.
 */
export async function posteriorPredictiveCheck(
  model: Model,
  posterior: Posterior,
  observed: ObservedInput,
  options: PredictiveCheckOptions = {},
): Promise<PredictiveCheckRow[]> {
  const setup = checkSetup(model, posterior, observed, options);
  const { draws: _draws, statistics: _statistics, seed: _seed, ...simulateOptions } = options;
  const predictive = await posteriorPredictive(model, posterior, setup.draws, {
    ...simulateOptions,
    seed: setup.seed,
    discrete: options.discrete ?? { mode: 'exact' },
    nonFinite: 'keep',
  });
  if (options.signal?.aborted) throw abortError();
  return checkSimulation(predictive.simulation, setup.observed, setup.first, setup.statistics, options.signal);
}
