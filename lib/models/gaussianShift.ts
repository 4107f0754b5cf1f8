import { configureModel, type Model } from './model.js';

export interface GaussianShiftOptions {
  /** Independent copies averaged per replicate (default 1). */
  agents?: number;
  /** Steps (default 1); the draw is repeated each step and the output is that step's value. */
  steps?: number;
}

/**
 * Estimator test model: z ~ N(θ, 2²) (reparameterised), y = θ²(4 + z), so E[y] = 4θ² + θ³ and
 * dE[y]/dθ = 8θ + 3θ² (28 at θ = 2). Parameter: theta (real, reference 2). Output `y`.
 */
export function gaussianShift(options?: GaussianShiftOptions): Model {
  return configureModel('gaussianShift', options);
}
