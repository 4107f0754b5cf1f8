import { configureModel, type Model } from './model.js';

export interface BernoulliSumOptions {
  /** Independent copies averaged per replicate (default 1). */
  agents?: number;
  /** Steps (default 1); the draw is repeated each step and the output is that step's value. */
  steps?: number;
}

/**
 * Estimator test model: x = 2 Bern(3θ) + Bern(θ), so E[x] = 7θ and dE[x]/dθ = 7 for θ ≤ 1/3
 * (3θ is clamped to 1 above). Parameter: theta (unit, reference 0.2). Output `x`.
 */
export function bernoulliSum(options?: BernoulliSumOptions): Model {
  return configureModel('bernoulliSum', options);
}
