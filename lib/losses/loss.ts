// A loss compares one replicate's simulated series with observed data and returns its derivative
// with respect to every simulated value, which the gradient estimators chain with tangents.

import type { LossRecipe } from './recipe.js';

export interface SeriesShape {
  /** Time points of the simulation (steps + 1). */
  times: number;
  outputs: number;
}

export interface LossEvaluation {
  value: number;
  /** d value / d simulated, same row-major [times][outputs] layout as the input. */
  gradient: Float64Array;
}

export interface Loss {
  readonly name: string;
  /**
   * How many observations the loss averages over: compared points for the distribution losses,
   * residuals for the squared-error ones. fit() derives its default weight from it (w = 1/n); a
   * custom loss without it gets w = 1.
   */
  readonly observations?: number;
  evaluate(simulated: Float64Array, shape: SeriesShape): LossEvaluation;
  /** How to build this loss again in another process: set by the built-in losses, absent on a custom one. */
  readonly recipe?: LossRecipe;
}
