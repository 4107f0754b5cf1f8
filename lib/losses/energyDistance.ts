import { toObserved, type Observed, type ObservedInput } from '../observed.js';
import { checkLags, lagged } from './lagged.js';
import type { Loss } from './loss.js';
import { withRecipe } from './recipe.js';
import { pointLoss, squaredDistance, type PointComparison } from './points.js';

/** 2 E|X - Y| - E|X - X'| - E|Y - Y'| of points against the observed sample, U-statistics within. */
function energyDistanceOfPoints(observed: Observed): PointComparison {
  const m = observed.rows;
  const dims = observed.outputs;
  const y = observed.data;
  let observedTerm = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) observedTerm += Math.sqrt(squaredDistance(y, i, y, j, dims));
  observedTerm = (2 * observedTerm) / (m * (m - 1));

  return (x, n) => {
    const gradient = new Float64Array(n * dims);
    const wAcross = 2 / (n * m);
    const wWithin = 2 / (n * (n - 1));
    let across = 0;
    let within = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const dist = Math.sqrt(squaredDistance(x, i, y, j, dims));
        across += dist;
        if (dist === 0) continue;  // |a - b| has a zero subgradient at a = b
        for (let d = 0; d < dims; d++) gradient[i * dims + d] = gradient[i * dims + d]! + (wAcross * (x[i * dims + d]! - y[j * dims + d]!)) / dist;
      }
      // Each unordered pair once: d |x_i - x_j| / d x_i = (x_i - x_j) / |x_i - x_j| = -d / d x_j.
      for (let j = i + 1; j < n; j++) {
        const dist = Math.sqrt(squaredDistance(x, i, x, j, dims));
        within += dist;
        if (dist === 0) continue;
        for (let d = 0; d < dims; d++) {
          const step = (wWithin * (x[i * dims + d]! - x[j * dims + d]!)) / dist;
          gradient[i * dims + d] = gradient[i * dims + d]! - step;
          gradient[j * dims + d] = gradient[j * dims + d]! + step;
        }
      }
    }
    return { value: across * wAcross - within * wWithin - observedTerm, gradient };
  };
}

/**
 * Energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| between the simulated and observed samples,
 * with unbiased U-statistics for the within-sample terms. `lags`: as for mmd.
 */
export function energyDistance(observedInput: ObservedInput, options: { lags?: number } = {}): Loss {
  const lags = checkLags(options.lags ?? 0, 'energyDistance');
  if (lags > 0) return withRecipe(lagged('energyDistance', observedInput, lags, energyDistanceOfPoints), 'energyDistance', observedInput, options);
  const observed = toObserved(observedInput);
  return withRecipe(pointLoss('energyDistance', observed, energyDistanceOfPoints(observed)), 'energyDistance', observedInput, options);
}
