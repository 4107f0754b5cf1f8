// Posterior predictive: simulations at draws from the posterior, in one native call.
import type { Model } from '../models/model.js';
import { simulate, type Simulation, type SimulateOptions } from '../simulate.js';
import { quantileOfSorted } from '../stats/series.js';
import type { Posterior } from './posterior.js';

export interface PosteriorPredictive {
  /** The parameter points drawn (free and fixed parameters, natural units). */
  thetas: Record<string, number>[];
  /** The simulation: replicate i ran at thetas[i]. */
  simulation: Simulation;
  /**
   * Per time point and output, the given quantiles across draws: [level][time][output]. Values that
   * are not finite (draws that overflowed, kept with nonFinite: 'keep') are left out.
   */
  quantiles(levels?: readonly number[]): number[][][];
}

export interface PredictiveOptions extends Omit<SimulateOptions, 'replicates' | 'tangents'> {
  /**
   * Parameters set on every draw, for what-if scenarios: e.g. { betaFactor: 0.5 } on a model from
   * withIntervention. Intervention factors the posterior does not cover default to 1 (no change).
   */
  set?: Record<string, number>;
}

/**
 * Simulates `model` once at each of n posterior draws. `model` may be the fitted model under an
 * intervention (withIntervention), to ask what the calibrated model predicts under it.
 */
export async function posteriorPredictive(
  model: Model,
  posterior: Posterior,
  n: number,
  options: PredictiveOptions = {},
): Promise<PosteriorPredictive> {
  const { set, ...simulateOptions } = options;
  const unchanged = Object.fromEntries(model.interventions.map((i) => [i.name, 1]));
  const thetas = posterior
    .sample(n, options.seed === undefined ? 0 : Number(options.seed))
    .map((draw) => ({ ...unchanged, ...posterior.fixed, ...draw, ...set }));
  const simulation = await simulate(model, thetas, { ...simulateOptions, replicates: 1 });
  const { times, outputs } = simulation.shape;
  return {
    thetas,
    simulation,
    quantiles(levels = [0.05, 0.5, 0.95]) {
      const columns = Array.from({ length: times * outputs }, (_, cell) =>
        Array.from({ length: n }, (_, r) => simulation.values[r * times * outputs + cell]!).filter(Number.isFinite).sort((a, b) => a - b),
      );
      return levels.map((q) => Array.from({ length: times }, (_, t) => Array.from({ length: outputs }, (_, o) => quantileOfSorted(columns[t * outputs + o]!, q))));
    },
  };
}
