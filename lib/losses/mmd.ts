import { checkOutputs, toObserved, type ObservedInput } from '../observed.js';
import { checkLags, lagged } from './lagged.js';
import type { Loss } from './loss.js';
import { medianPairwiseDistance, simulatedRange, squaredDistance } from './points.js';

export interface MmdOptions {
  /**
   * Gaussian kernel bandwidth σ, or several: their kernels are averaged (a multi-scale kernel, which
   * resolves fine structure with the small ones and still has a gradient far from the data through
   * the large ones). Default: the median pairwise distance of the observed data.
   */
  bandwidth?: number | readonly number[];
  /**
   * Compare delay-embedded points (y(t), y(t-1), ..., y(t-lags)) instead of single time points, so
   * that the loss sees the dynamics, not only the marginal distribution (default 0).
   */
  lags?: number;
}

// The mean of Gaussian kernels exp(-d² / (2σ²)) over the bandwidths, as a function of the squared
// distance d², with its derivative with respect to d².
function gaussianKernel(sigmas: readonly number[]): (squared: number) => { value: number; slope: number } {
  const rates = sigmas.map((sigma) => 1 / (2 * sigma * sigma));
  const share = 1 / rates.length;
  return (squared) => {
    let value = 0;
    let slope = 0;
    for (const rate of rates) {
      const k = Math.exp(-squared * rate) * share;
      value += k;
      slope -= k * rate;
    }
    return { value, slope };
  };
}

/**
 * Squared maximum mean discrepancy between the simulated and observed samples, unbiased
 * U-statistic with the Gaussian kernel k(a, b) = exp(-|a - b|² / (2σ²)).
 */
export function mmd(observedInput: ObservedInput, options: MmdOptions = {}): Loss {
  const lags = checkLags(options.lags ?? 0, 'mmd');
  if (lags > 0) return lagged('mmd', observedInput, lags, (points) => mmd(points, { bandwidth: options.bandwidth }));
  const observed = toObserved(observedInput);
  const sigmas = options.bandwidth === undefined ? [medianPairwiseDistance(observed) || 1] : [options.bandwidth].flat();
  if (sigmas.length === 0) throw new RangeError('mmd bandwidth must hold at least one bandwidth');
  for (const sigma of sigmas) {
    if (typeof sigma !== 'number' || !(sigma > 0) || !Number.isFinite(sigma)) {
      throw new RangeError(`mmd bandwidth must be a finite number > 0 or an array of them, got ${String(sigma)}`);
    }
  }
  const kernel = gaussianKernel(sigmas);
  const m = observed.rows;
  const dims = observed.outputs;
  let observedTerm = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) observedTerm += kernel(squaredDistance(observed.data, i, observed.data, j, dims)).value;
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
          const k = kernel(squaredDistance(x, i, x, j, dims));
          within += k.value;
          // d k(x_i, x_j) / d x_i = 2 k'(d²) (x_i - x_j); the pair (j, i) contributes the same again.
          const slope = -2 * wWithin * 2 * k.slope;
          for (let d = 0; d < dims; d++) gx[i * dims + d] = gx[i * dims + d]! - slope * (x[i * dims + d]! - x[j * dims + d]!);
        }
        for (let j = 0; j < m; j++) {
          const k = kernel(squaredDistance(x, i, observed.data, j, dims));
          across += k.value;
          const slope = -wAcross * 2 * k.slope;
          for (let d = 0; d < dims; d++) gx[i * dims + d] = gx[i * dims + d]! + slope * (x[i * dims + d]! - observed.data[j * dims + d]!);
        }
      }
      return { value: within * wWithin + observedTerm - across * wAcross, gradient };
    },
  };
}
