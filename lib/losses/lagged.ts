// Delay embedding: a series compared as the points (y(t), y(t-1), ..., y(t-L)) rather than as
// separate y(t), so that distribution losses (MMD, energy distance) see the dynamics — how one
// value follows the previous ones — and not only the marginal distribution.
import { checkOutputs, toObserved, type Observed, type ObservedInput } from '../observed.js';
import type { Loss } from './loss.js';
import { simulatedRange, type PointComparison } from './points.js';

/**
 * Rows t = lags..rows-1 of a row-major [rows][outputs] series as the points
 * [y(t), y(t-1), ..., y(t-lags)], row-major: rows - lags points of outputs * (lags + 1) values.
 */
function embedLags(series: ArrayLike<number>, rows: number, outputs: number, lags: number): Float64Array {
  const width = outputs * (lags + 1);
  const points = new Float64Array((rows - lags) * width);
  for (let i = 0; i < rows - lags; i++) {
    const t = i + lags;
    for (let l = 0; l <= lags; l++) for (let o = 0; o < outputs; o++) points[i * width + l * outputs + o] = series[(t - l) * outputs + o]!;
  }
  return points;
}

export function checkLags(lags: unknown, lossName: string): number {
  if (typeof lags !== 'number' || !Number.isInteger(lags) || lags < 0 || lags > 64) {
    throw new RangeError(`${lossName} lags must be an integer in [0, 64], got ${String(lags)}`);
  }
  return lags;
}

/**
 * A loss that embeds the observed and the simulated series and compares the embedded points with
 * the comparison `compare` builds for the observed ones; its gradient is carried back to the series.
 */
export function lagged(name: string, observedInput: ObservedInput, lags: number, compare: (embedded: Observed) => PointComparison): Loss {
  const observed = toObserved(observedInput);
  if (observed.rows - lags < 2) throw new RangeError(`${name}: ${lags} lags need at least ${lags + 2} observed rows, got ${observed.rows}`);
  const outputs = observed.outputs;
  const width = outputs * (lags + 1);
  const comparePoints = compare({ data: embedLags(observed.data, observed.rows, outputs, lags), rows: observed.rows - lags, outputs: width });
  return {
    name,
    observations: observed.rows - lags,
    evaluate(simulated, shape) {
      checkOutputs(observed, shape.outputs, name);
      // As without lags: the whole series when observed holds every time point, else t = 1..T.
      const { first, count: rows } = simulatedRange(observed, shape);
      if (rows - lags < 2) throw new RangeError(`${name}: ${lags} lags need a simulation of at least ${lags + 2} steps`);
      const count = rows - lags;
      const { value, gradient: pointGradient } = comparePoints(embedLags(simulated.subarray(first * outputs), rows, outputs, lags), count);
      const gradient = new Float64Array(simulated.length);
      for (let i = 0; i < count; i++) {
        const t = first + i + lags;
        for (let l = 0; l <= lags; l++) {
          for (let o = 0; o < outputs; o++) gradient[(t - l) * outputs + o] = gradient[(t - l) * outputs + o]! + pointGradient[i * width + l * outputs + o]!;
        }
      }
      return { value, gradient };
    },
  };
}
