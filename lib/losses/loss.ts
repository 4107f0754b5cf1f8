// A loss compares one replicate's simulated series with observed data and returns its derivative
// with respect to every simulated value, which the gradient estimators chain with tangents.

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
  evaluate(simulated: Float64Array, shape: SeriesShape): LossEvaluation;
}
