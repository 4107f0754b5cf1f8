// Distribution losses treat a series as a sample of points in R^outputs.
import { checkOutputs, type Observed } from '../observed.js';
import type { Loss, LossEvaluation, SeriesShape } from './loss.js';

/** Compares `count` simulated points (row-major, `observed.outputs` values each) with the observed sample. */
export type PointComparison = (points: Float64Array, count: number) => LossEvaluation;

/** Simulated rows compared with the observed sample: all of them when the counts match, else t = 1..T. */
export function simulatedRange(observed: Observed, shape: SeriesShape): { first: number; count: number } {
  return observed.rows === shape.times ? { first: 0, count: shape.times } : { first: 1, count: shape.times - 1 };
}

/** A loss over a simulated series whose rows are compared, as points, by `compare`. */
export function pointLoss(name: string, observed: Observed, compare: PointComparison): Loss {
  const dims = observed.outputs;
  return {
    name,
    observations: observed.rows,
    evaluate(simulated, shape) {
      checkOutputs(observed, shape.outputs, name);
      const { first, count } = simulatedRange(observed, shape);
      const { value, gradient: pointGradient } = compare(simulated.subarray(first * dims, (first + count) * dims), count);
      const gradient = new Float64Array(simulated.length);
      gradient.set(pointGradient, first * dims);
      return { value, gradient };
    },
  };
}

export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, dims: number): number {
  let s = 0;
  for (let d = 0; d < dims; d++) {
    const diff = a[i * dims + d]! - b[j * dims + d]!;
    s += diff * diff;
  }
  return s;
}

/** Median of the pairwise Euclidean distances between the rows of a sample. */
export function medianPairwiseDistance(sample: Observed): number {
  const distances: number[] = [];
  for (let i = 0; i < sample.rows; i++) {
    for (let j = i + 1; j < sample.rows; j++) distances.push(Math.sqrt(squaredDistance(sample.data, i, sample.data, j, sample.outputs)));
  }
  distances.sort((a, b) => a - b);
  const mid = Math.floor(distances.length / 2);
  return distances.length % 2 ? distances[mid]! : (distances[mid - 1]! + distances[mid]!) / 2;
}
