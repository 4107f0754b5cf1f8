// Monotone rational-quadratic spline (Durkan et al. 2019, "Neural Spline Flows"): K bins on
// [−B, B] with identity tails, built from 3K − 1 unconstrained numbers: K bin widths and K bin
// heights (softmax, with a minimum), and the K − 1 interior knot derivatives (softplus, with a
// minimum); the two boundary derivatives are 1 so that the spline joins its identity tails
// smoothly. All-zero raw numbers give equal bins and unit derivatives: the identity map.
//
// forward, its reverse-mode derivative (backward) and the analytic inverse.

/** Smallest bin width and height, as a fraction of 2B, and smallest knot derivative. */
const MIN_BIN = 1e-3;
const MIN_DERIVATIVE = 1e-3;
/** softplus(DERIVATIVE_SHIFT) + MIN_DERIVATIVE = 1, so a zero raw derivative is a unit slope. */
const DERIVATIVE_SHIFT = Math.log(Math.expm1(1 - MIN_DERIVATIVE));

/** Raw numbers per spline: K widths, K heights, K − 1 interior derivatives. */
export function splineSize(bins: number): number {
  return 3 * bins - 1;
}

export interface SplineValue {
  y: number;
  /** log dy/dx. */
  logDerivative: number;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Bin sizes 2B (m + (1 − K m) softmax(a)) into out (length K); returns nothing. */
function binSizes(raw: ArrayLike<number>, offset: number, K: number, B: number, out: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, raw[offset + k]!);
  let sum = 0;
  for (let k = 0; k < K; k++) {
    out[k] = Math.exp(raw[offset + k]! - max);
    sum += out[k]!;
  }
  const scale = (2 * B * (1 - K * MIN_BIN)) / sum;
  for (let k = 0; k < K; k++) out[k] = 2 * B * MIN_BIN + scale * out[k]!;
}

/** Knot derivative k (0..K): 1 at the boundaries. */
function knotDerivative(raw: ArrayLike<number>, offset: number, K: number, k: number): number {
  return k === 0 || k === K ? 1 : MIN_DERIVATIVE + softplus(raw[offset + 2 * K + k - 1]! + DERIVATIVE_SHIFT);
}

/** The bin of `x` given sizes (with left edge −B), and its left edge; -1 outside [−B, B). */
function locate(x: number, sizes: Float64Array, K: number, B: number): { bin: number; edge: number } {
  if (!(x >= -B && x < B)) return { bin: -1, edge: 0 };
  let edge = -B;
  for (let k = 0; k < K - 1; k++) {
    if (x < edge + sizes[k]!) return { bin: k, edge };
    edge += sizes[k]!;
  }
  return { bin: K - 1, edge };
}

// Scratch for the sizes: the spline is evaluated one at a time (no re-entrancy).
let widthScratch = new Float64Array(0);
let heightScratch = new Float64Array(0);
function scratch(K: number): [Float64Array, Float64Array] {
  if (widthScratch.length < K) {
    widthScratch = new Float64Array(K);
    heightScratch = new Float64Array(K);
  }
  return [widthScratch, heightScratch];
}

function heightEdge(heights: Float64Array, bin: number, B: number): number {
  let edge = -B;
  for (let k = 0; k < bin; k++) edge += heights[k]!;
  return edge;
}

/** The quantities of the bin x falls in (Durkan et al. 2019, eq. 4–5), or null in the identity tails. */
interface BinPoint {
  bin: number;
  widths: Float64Array;
  heights: Float64Array;
  /** Left knot x, bin width and height, slope h / w, and the knot derivatives at both ends. */
  xk: number;
  w: number;
  h: number;
  s: number;
  dk: number;
  dk1: number;
  /** ξ = (x − xk) / w, t = ξ(1 − ξ), and the numerator, denominator and derivative factor of the segment. */
  xi: number;
  t: number;
  num: number;
  den: number;
  D: number;
}

function binPoint(raw: ArrayLike<number>, offset: number, K: number, B: number, x: number): BinPoint | null {
  const [widths, heights] = scratch(K);
  binSizes(raw, offset, K, B, widths);
  const { bin, edge: xk } = locate(x, widths, K, B);
  if (bin < 0) return null;
  binSizes(raw, offset + K, K, B, heights);
  const w = widths[bin]!;
  const h = heights[bin]!;
  const dk = knotDerivative(raw, offset, K, bin);
  const dk1 = knotDerivative(raw, offset, K, bin + 1);
  const s = h / w;
  const xi = (x - xk) / w;
  const t = xi * (1 - xi);
  const num = h * (s * xi * xi + dk * t);
  const den = s + (dk1 + dk - 2 * s) * t;
  const D = dk1 * xi * xi + 2 * s * t + dk * (1 - xi) * (1 - xi);
  return { bin, widths, heights, xk, w, h, s, dk, dk1, xi, t, num, den, D };
}

/** y = spline(x) and log dy/dx, the spline given by raw[offset .. offset + 3K − 1). */
export function splineForward(raw: ArrayLike<number>, offset: number, K: number, B: number, x: number): SplineValue {
  const p = binPoint(raw, offset, K, B, x);
  if (p === null) return { y: x, logDerivative: 0 };
  const yk = heightEdge(p.heights, p.bin, B);
  return { y: yk + p.num / p.den, logDerivative: 2 * Math.log(p.s) + Math.log(p.D) - 2 * Math.log(p.den) };
}

/**
 * Reverse mode: given the cotangents gy on y and gl on log dy/dx, adds their pull-back onto the
 * raw numbers to graw[gOffset ..] and returns the one onto x.
 */
export function splineBackward(
  raw: ArrayLike<number>, offset: number, K: number, B: number, x: number,
  gy: number, gl: number, graw: Float64Array, gOffset: number,
): number {
  const p = binPoint(raw, offset, K, B, x);
  if (p === null) return gy;
  const { bin, widths, heights, w, h, s, dk, dk1, xi, t, num, den, D } = p;

  // y = yk + num / den; l = 2 log s + log D − 2 log den.
  const gyk = gy;
  const gnum = gy / den;
  const gden = (-gy * num) / (den * den) - (2 * gl) / den;
  let gs = (2 * gl) / s;
  const gD = gl / D;
  let gdk1 = gD * xi * xi;
  gs += gD * 2 * t;
  let gt = gD * 2 * s;
  let gdk = gD * (1 - xi) * (1 - xi);
  let gxi = gD * (2 * dk1 * xi - 2 * dk * (1 - xi));
  // den = s + (dk1 + dk − 2s) t
  gs += gden * (1 - 2 * t);
  gdk1 += gden * t;
  gdk += gden * t;
  gt += gden * (dk1 + dk - 2 * s);
  // num = h (s ξ² + dk t)
  let gh = gnum * (s * xi * xi + dk * t);
  gs += gnum * h * xi * xi;
  gxi += gnum * h * 2 * s * xi;
  gdk += gnum * h * t;
  gt += gnum * h * dk;
  // t = ξ − ξ²
  gxi += gt * (1 - 2 * xi);
  // ξ = (x − xk) / w
  const gx = gxi / w;
  const gxk = -gxi / w;
  let gw = (-gxi * xi) / w;
  // s = h / w
  gh += gs / w;
  gw -= (gs * s) / w;

  // Knot positions: xk = −B + Σ_{j<bin} W_j, w = W_bin; likewise yk and h with the heights.
  sizesBackward(K, B, widths, bin, gxk, gw, graw, gOffset);
  sizesBackward(K, B, heights, bin, gyk, gh, graw, gOffset + K);
  // Interior derivatives: d = m + softplus(r + shift), dd/dr = sigmoid(r + shift).
  if (bin > 0) graw[gOffset + 2 * K + bin - 1] = graw[gOffset + 2 * K + bin - 1]! + gdk * sigmoid(raw[offset + 2 * K + bin - 1]! + DERIVATIVE_SHIFT);
  if (bin + 1 < K) graw[gOffset + 2 * K + bin] = graw[gOffset + 2 * K + bin]! + gdk1 * sigmoid(raw[offset + 2 * K + bin]! + DERIVATIVE_SHIFT);
  return gx;
}

/** Pull-back through sizes W = 2B(m + (1 − Km) softmax(a)) of gEdge on Σ_{j<bin} W_j and gSize on W_bin. */
function sizesBackward(
  K: number, B: number, sizes: Float64Array, bin: number,
  gEdge: number, gSize: number, graw: Float64Array, gOffset: number,
): void {
  const scale = 2 * B * (1 - K * MIN_BIN);
  // p_j = (W_j − 2Bm) / scale; gp_j = scale · gW_j; ga_j = p_j (gp_j − Σ p gp).
  let dot = 0;
  for (let j = 0; j <= bin; j++) {
    const p = (sizes[j]! - 2 * B * MIN_BIN) / scale;
    dot += p * scale * (j < bin ? gEdge : gSize);
  }
  for (let j = 0; j < K; j++) {
    const p = (sizes[j]! - 2 * B * MIN_BIN) / scale;
    const gp = j < bin ? scale * gEdge : j === bin ? scale * gSize : 0;
    graw[gOffset + j] = graw[gOffset + j]! + p * (gp - dot);
  }
}

/** x = spline⁻¹(y) and log dy/dx at that x. */
export function splineInverse(raw: ArrayLike<number>, offset: number, K: number, B: number, y: number): { x: number; logDerivative: number } {
  const [widths, heights] = scratch(K);
  binSizes(raw, offset + K, K, B, heights);
  const { bin, edge: yk } = locate(y, heights, K, B);
  if (bin < 0) return { x: y, logDerivative: 0 };
  binSizes(raw, offset, K, B, widths);
  const xk = heightEdge(widths, bin, B);
  const w = widths[bin]!;
  const h = heights[bin]!;
  const dk = knotDerivative(raw, offset, K, bin);
  const dk1 = knotDerivative(raw, offset, K, bin + 1);
  const s = h / w;
  const dy = y - yk;
  const c2 = dk1 + dk - 2 * s;
  const a = h * (s - dk) + dy * c2;
  const b = h * dk - dy * c2;
  const c = -s * dy;
  const discriminant = Math.max(0, b * b - 4 * a * c);
  const xi = Math.min(1, Math.max(0, (2 * c) / (-b - Math.sqrt(discriminant))));
  const t = xi * (1 - xi);
  const den = s + c2 * t;
  const D = dk1 * xi * xi + 2 * s * t + dk * (1 - xi) * (1 - xi);
  return { x: xk + xi * w, logDerivative: 2 * Math.log(s) + Math.log(D) - 2 * Math.log(den) };
}
