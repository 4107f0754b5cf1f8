import { toObserved, type Observed, type ObservedInput } from '../observed.js';
import { checkLags, lagged } from './lagged.js';
import type { Loss } from './loss.js';
import { withRecipe } from './recipe.js';
import { medianPairwiseDistance, pointLoss, squaredDistance, type PointComparison } from './points.js';

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

function checkBandwidths(observed: Observed, bandwidth: MmdOptions['bandwidth']): number[] {
  const sigmas = bandwidth === undefined ? [medianPairwiseDistance(observed) || 1] : [bandwidth].flat();
  if (sigmas.length === 0) throw new RangeError('mmd bandwidth must hold at least one bandwidth');
  for (const sigma of sigmas) {
    if (typeof sigma !== 'number' || !(sigma > 0) || !Number.isFinite(sigma)) {
      throw new RangeError(`mmd bandwidth must be a finite number > 0 or an array of them, got ${String(sigma)}`);
    }
  }
  return sigmas;
}

/**
 * Squared MMD of points against the observed sample: unbiased U-statistic with the mean over the
 * bandwidths of the Gaussian kernels exp(-d² / (2σ²)).
 */
function mmdOfPoints(observed: Observed, sigmas: readonly number[]): PointComparison {
  const rates = Float64Array.from(sigmas, (sigma) => 1 / (2 * sigma * sigma));
  const share = 1 / rates.length;
  const bandwidths = rates.length;
  const m = observed.rows;
  const dims = observed.outputs;
  const y = observed.data;
  // The kernel at squared distance d2 goes to pair[0], its derivative with respect to d2 to pair[1].
  // Terms below e^-40 (4e-18, under the rounding of a kernel sum) are skipped: exp is the whole cost.
  const pair = new Float64Array(2);
  const kernelAt = (d2: number): void => {
    let value = 0;
    let slope = 0;
    for (let b = 0; b < bandwidths; b++) {
      const exponent = d2 * rates[b]!;
      if (exponent > 40) continue;
      const k = Math.exp(-exponent) * share;
      value += k;
      slope -= k * rates[b]!;
    }
    pair[0] = value;
    pair[1] = slope;
  };
  let observedTerm = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      kernelAt(squaredDistance(y, i, y, j, dims));
      observedTerm += pair[0]!;
    }
  }
  observedTerm = (2 * observedTerm) / (m * (m - 1));

  return (x, n) => {
    const gradient = new Float64Array(n * dims);
    const wWithin = 2 / (n * (n - 1));
    const wAcross = 2 / (n * m);
    let within = 0;
    let across = 0;
    for (let i = 0; i < n; i++) {
      const xi = i * dims;
      // Each unordered pair once: d k(x_i, x_j) / d x_i = 2 k'(d²) (x_i - x_j) = -d k / d x_j.
      for (let j = i + 1; j < n; j++) {
        kernelAt(squaredDistance(x, i, x, j, dims));
        within += pair[0]!;
        const pull = wWithin * 2 * pair[1]!;
        for (let d = 0; d < dims; d++) {
          const step = pull * (x[xi + d]! - x[j * dims + d]!);
          gradient[xi + d] = gradient[xi + d]! + step;
          gradient[j * dims + d] = gradient[j * dims + d]! - step;
        }
      }
      for (let j = 0; j < m; j++) {
        kernelAt(squaredDistance(x, i, y, j, dims));
        across += pair[0]!;
        const pull = wAcross * 2 * pair[1]!;
        for (let d = 0; d < dims; d++) gradient[xi + d] = gradient[xi + d]! - pull * (x[xi + d]! - y[j * dims + d]!);
      }
    }
    return { value: within * wWithin + observedTerm - across * wAcross, gradient };
  };
}

/**
 * Squared maximum mean discrepancy between the simulated and observed samples, unbiased
 * U-statistic with the Gaussian kernel k(a, b) = exp(-|a - b|² / (2σ²)).
 */
export function mmd(observedInput: ObservedInput, options: MmdOptions = {}): Loss {
  const lags = checkLags(options.lags ?? 0, 'mmd');
  const compare = (points: Observed) => mmdOfPoints(points, checkBandwidths(points, options.bandwidth));
  if (lags > 0) return withRecipe(lagged('mmd', observedInput, lags, compare), 'mmd', observedInput, options);
  const observed = toObserved(observedInput);
  return withRecipe(pointLoss('mmd', observed, compare(observed)), 'mmd', observedInput, options);
}
