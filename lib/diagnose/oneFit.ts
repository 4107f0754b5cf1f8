// One simulation of diagnose: data simulated at a prior draw, fitted with the recipe under test,
// and the rank of the truth among posterior draws.
import { performance } from 'node:perf_hooks';

import { fit } from '../gvi/fit.js';
import { deriveSeed, priorDraws, Purpose } from '../gvi/random.js';
import type { Loss } from '../losses/loss.js';
import { simulate } from '../simulate.js';
import { insideCentralIntervals, rankOf } from './calibration.js';
import { simulatedRows } from '../observed.js';
import { priorFrom, type Recipe } from './recipe.js';

export interface FitOutcome {
  index: number;
  /** The free parameters' values the data were simulated at. */
  truth: Record<string, number>;
  /** Rank of each truth among the posterior draws (0..draws). */
  ranks: Record<string, number>;
  /** Whether each truth lies in the central intervals at the coverage levels. */
  inside: Record<string, boolean[]>;
  /** Posterior means, natural units. */
  mean: Record<string, number>;
  weight: number;
  finalLoss: number;
  seconds: number;
}

export interface FailedFit {
  index: number;
  truth: Record<string, number>;
  error: string;
}

/** The truth of simulation `index`: one draw from each prior, each from its own stream. */
export function truthOf(recipe: Recipe, index: number): Record<string, number> {
  return Object.fromEntries(
    recipe.parameters.map((p, k) => [p.name, priorDraws(priorFrom(p.prior), 1, deriveSeed(recipe.seed, Purpose.diagnoseTruth, index * 4096 + k))[0]!]),
  );
}

export async function runOneFit(recipe: Recipe, index: number, signal?: AbortSignal, lossOf?: (observed: number[][]) => Loss): Promise<FitOutcome | FailedFit> {
  const start = performance.now();
  const truth = truthOf(recipe, index);
  const { model, fit: options } = recipe;
  try {
    const sim = await simulate(model, { ...recipe.fixed, ...truth }, {
      seed: deriveSeed(recipe.seed, Purpose.diagnoseData, index),
      replicates: 1,
      discrete: { mode: 'exact' },
      dtype: options.dtype,
      backend: options.backend,
      threads: options.threads ?? 1,
      signal,
    });
    const observed = simulatedRows(sim.values, sim.shape.times, sim.shape.outputs);
    const result = await fit(model, observed, {
      ...options,
      ...(lossOf ? { loss: lossOf(observed) } : {}),
      threads: options.threads ?? 1,
      parameters: recipe.parameters.map((p) => p.name),
      prior: Object.fromEntries(recipe.parameters.map((p) => [p.name, priorFrom(p.prior)])),
      fixed: recipe.fixed,
      seed: deriveSeed(recipe.seed, Purpose.diagnoseFit, index),
      signal,
    });
    if (result.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    const draws = result.posterior.sample(recipe.draws, deriveSeed(recipe.seed, Purpose.diagnoseDraws, index));
    const ranks: Record<string, number> = {};
    const inside: Record<string, boolean[]> = {};
    for (const { name } of recipe.parameters) {
      ranks[name] = rankOf(draws.map((d) => d[name]!), truth[name]!);
      inside[name] = insideCentralIntervals(ranks[name]!, recipe.draws);
    }
    return {
      index,
      truth,
      ranks,
      inside,
      mean: result.posterior.mean(),
      weight: result.weight.value,
      finalLoss: result.history.at(-1)?.loss ?? NaN,
      seconds: (performance.now() - start) / 1000,
    };
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return { index, truth, error: (error as Error).message };
  }
}

export function isFailed(outcome: FitOutcome | FailedFit): outcome is FailedFit {
  return 'error' in outcome;
}
