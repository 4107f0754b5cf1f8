import { checkOutputs, toObserved, type ObservedInput } from '../observed.js';
import { checkLags, lagged } from './lagged.js';
import type { Loss } from './loss.js';
import { simulatedRange, squaredDistance } from './points.js';

/**
 * Energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| between the simulated and observed samples,
 * with unbiased U-statistics for the within-sample terms. `lags`: as for mmd.
 */
export function energyDistance(observedInput: ObservedInput, options: { lags?: number } = {}): Loss {
  const lags = checkLags(options.lags ?? 0, 'energyDistance');
  if (lags > 0) return lagged('energyDistance', observedInput, lags, (points) => energyDistance(points));
  const observed = toObserved(observedInput);
  const m = observed.rows;
  const dims = observed.outputs;
  let observedTerm = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) observedTerm += Math.sqrt(squaredDistance(observed.data, i, observed.data, j, dims));
  observedTerm /= m * (m - 1);

  return {
    name: 'energyDistance',
    evaluate(simulated, shape) {
      checkOutputs(observed, shape.outputs, 'energyDistance');
      const { first, count: n } = simulatedRange(observed, shape);
      const x = simulated.subarray(first * dims, (first + n) * dims);
      const gradient = new Float64Array(simulated.length);
      const gx = gradient.subarray(first * dims, (first + n) * dims);
      const wAcross = 2 / (n * m);
      const wWithin = 1 / (n * (n - 1));
      let across = 0;
      let within = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const dist = Math.sqrt(squaredDistance(x, i, observed.data, j, dims));
          across += dist;
          if (dist === 0) continue;  // |a - b| has a zero subgradient at a = b
          for (let d = 0; d < dims; d++) gx[i * dims + d] = gx[i * dims + d]! + (wAcross * (x[i * dims + d]! - observed.data[j * dims + d]!)) / dist;
        }
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          const dist = Math.sqrt(squaredDistance(x, i, x, j, dims));
          within += dist;
          if (dist === 0) continue;
          // x_i appears in the pairs (i, j) and (j, i).
          for (let d = 0; d < dims; d++) gx[i * dims + d] = gx[i * dims + d]! - (2 * wWithin * (x[i * dims + d]! - x[j * dims + d]!)) / dist;
        }
      }
      return { value: across * wAcross - within * wWithin - observedTerm, gradient };
    },
  };
}
