// Summary statistics of one time series, as the posterior predictive checks compare them.
// Moments are the plain (population, divide-by-n) sample moments unless said otherwise, so that
// each statistic has one unambiguous definition; a statistic undefined for the series (a constant
// series has no autocorrelation or kurtosis) is NaN.

/** Arithmetic mean; NaN for an empty series. */
export function seriesMean(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]!;
  return x.length === 0 ? NaN : sum / x.length;
}

/** Sample standard deviation (divisor n − 1); NaN below 2 points. */
export function standardDeviation(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = seriesMean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/**
 * Lag-k sample autocorrelation, the usual estimator Σ_t (x_t − x̄)(x_{t+k} − x̄) / Σ_t (x_t − x̄)²
 * (the ACF of R's acf() and statsmodels' acf()). NaN for a constant series or k ≥ n.
 */
export function autocorrelation(x: ArrayLike<number>, lag = 1): number {
  const n = x.length;
  if (!(Number.isInteger(lag) && lag >= 1) || lag >= n) return NaN;
  const m = seriesMean(x);
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const c = x[i]! - m;
    denominator += c * c;
    if (i + lag < n) numerator += c * (x[i + lag]! - m);
  }
  return denominator > 0 ? numerator / denominator : NaN;
}

/** Lag-1 autocorrelation of |x|: volatility clustering (large moves follow large moves). */
export function absoluteAutocorrelation(x: ArrayLike<number>, lag = 1): number {
  return autocorrelation(Float64Array.from(x as ArrayLike<number>, Math.abs), lag);
}

/**
 * Excess kurtosis m₄ / m₂² − 3 with the population central moments m_k = Σ (x − x̄)^k / n (the
 * biased estimator g₂, as scipy.stats.kurtosis by default): 0 for a normal distribution, positive
 * for fat tails. NaN for a constant series.
 */
export function excessKurtosis(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = seriesMean(x);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const c2 = (x[i]! - m) ** 2;
    m2 += c2;
    m4 += c2 * c2;
  }
  m2 /= n;
  m4 /= n;
  return m2 > 0 ? m4 / (m2 * m2) - 3 : NaN;
}

export function seriesMin(x: ArrayLike<number>): number {
  let min = Infinity;
  for (let i = 0; i < x.length; i++) min = Math.min(min, x[i]!);
  return x.length === 0 ? NaN : min;
}

export function seriesMax(x: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) max = Math.max(max, x[i]!);
  return x.length === 0 ? NaN : max;
}

/** The last value; NaN for an empty series. */
export function finalValue(x: ArrayLike<number>): number {
  return x.length === 0 ? NaN : x[x.length - 1]!;
}

/** Linear-interpolated quantile (type 7, as numpy's default) of an ascending array; NaN if empty. */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
