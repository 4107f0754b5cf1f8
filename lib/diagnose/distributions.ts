// The two distributions the calibration checks need: the χ² tail for the uniformity test of SBC
// ranks, and binomial intervals for the bands a calibrated posterior's histograms and coverage stay in.
import { logGamma } from '../gvi/gamma.js';

const EPSILON = 1e-15;
const MAX_TERMS = 10_000;

// P(a, x) by its power series; converges fast for x < a + 1.
function lowerGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

// Q(a, x) by Lentz's continued fraction; converges fast for x >= a + 1.
function upperGammaFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a). */
export function upperRegularizedGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - lowerGammaSeries(a, x) : upperGammaFraction(a, x);
}

/** P(X ≥ x) for X ~ χ² with `df` degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  return upperRegularizedGamma(df / 2, x / 2);
}

function binomialLogPmf(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * The central interval [low, high] of counts of Binomial(n, p) holding at least `mass` of its
 * probability: P(X < low) ≤ (1 − mass)/2 and P(X > high) ≤ (1 − mass)/2.
 */
export function binomialInterval(n: number, p: number, mass: number): [number, number] {
  const tail = (1 - mass) / 2;
  const pmf = Array.from({ length: n + 1 }, (_, k) => Math.exp(binomialLogPmf(k, n, p)));
  let low = 0;
  let below = 0;
  while (low < n && below + pmf[low]! <= tail) below += pmf[low++]!;
  let high = n;
  let above = 0;
  while (high > 0 && above + pmf[high]! <= tail) above += pmf[high--]!;
  return [low, high];
}
