import { checkOutputs, toObserved, type ObservedInput } from '../observed.js';
import type { Loss } from './loss.js';
import { medianPairwiseDistance, simulatedRange, squaredDistance } from './points.js';

export interface MmdOptions {
  /** Gaussian kernel bandwidth σ; default: the median pairwise distance of the observed data. */
  bandwidth?: number;
}

/**
 * Squared maximum mean discrepancy between the simulated and observed samples, unbiased
 * U-statistic with the Gaussian kernel k(a, b) = exp(-|a - b|² / (2σ²)).
 */
export function mmd(observedInput: ObservedInput, options: MmdOptions = {}): Loss {
  const observed = toObserved(observedInput);
  const sigma = options.bandwidth ?? (medianPairwiseDistance(observed) || 1);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`mmd bandwidth must be a finite number > 0, got ${sigma}`);
  const inv2s2 = 1 / (2 * sigma * sigma);
  const m = observed.rows;
  const dims = observed.outputs;
  let observedTerm = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) observedTerm += Math.exp(-squaredDistance(observed.data, i, observed.data, j, dims) * inv2s2);
  observedTerm /= m * (m - 1);

  return {
    name: 'mmd',
    evaluate(simulated, shape) {
      checkOutputs(observed, shape.outputs, 'mmd');
      const { first, count: n } = simulatedRange(observed, shape);
      const x = simulated.subarray(first * dims, (first + n) * dims);
      const gradient = new Float64Array(simulated.length);
      const gx = gradient.subarray(first * dims, (first + n) * dims);
      let within = 0;
      let across = 0;
      const wWithin = 1 / (n * (n - 1));
      const wAcross = 2 / (n * m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          const k = Math.exp(-squaredDistance(x, i, x, j, dims) * inv2s2);
          within += k;
          // d k(x_i, x_j) / d x_i = -k (x_i - x_j) / σ²; the pair (j, i) contributes the same again.
          const slope = 2 * wWithin * k * 2 * inv2s2;
          for (let d = 0; d < dims; d++) gx[i * dims + d] = gx[i * dims + d]! - slope * (x[i * dims + d]! - x[j * dims + d]!);
        }
        for (let j = 0; j < m; j++) {
          const k = Math.exp(-squaredDistance(x, i, observed.data, j, dims) * inv2s2);
          across += k;
          const slope = wAcross * k * 2 * inv2s2;
          for (let d = 0; d < dims; d++) gx[i * dims + d] = gx[i * dims + d]! + slope * (x[i * dims + d]! - observed.data[j * dims + d]!);
        }
      }
      return { value: within * wWithin + observedTerm - across * wAcross, gradient };
    },
  };
}
