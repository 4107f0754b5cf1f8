/** Compact summaries of large sample arrays, computed before anything reaches the plotting library. */
import { quantileOfSorted } from '../stats/series.js';

export interface DensityPoint {
  x: number;
  density: number;
}

/** Finite values of `samples`, sorted ascending. */
export function sortedFinite(samples: readonly number[]): Float64Array {
  const out = Float64Array.from(samples.filter((v) => Number.isFinite(v)));
  return out.sort();
}


/** Silverman's rule-of-thumb bandwidth, robust to zero spread. */
export function bandwidth(sorted: Float64Array): number {
  const n = sorted.length;
  if (n < 2) return 0;
  let mean = 0;
  for (const v of sorted) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const iqr = quantileOfSorted(sorted, 0.75) - quantileOfSorted(sorted, 0.25);
  const spread = Math.min(sd, iqr / 1.34) || sd;
  return 0.9 * spread * n ** -0.2;
}

/** Plot range covering the central 99% of every sample set and any extra points (e.g. the truth). */
export function plotRange(sets: readonly Float64Array[], extra: readonly number[] = []): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of sets) {
    if (s.length === 0) continue;
    lo = Math.min(lo, quantileOfSorted(s, 0.005));
    hi = Math.max(hi, quantileOfSorted(s, 0.995));
  }
  for (const v of extra) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  if (hi - lo <= 0) {
    const pad = Math.abs(lo) * 0.1 || 1;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/**
 * Gaussian kernel density estimate of `sorted` on `points` evenly spaced values over `range`.
 * Samples are first binned onto a fine grid (linear binning), so the cost is O(n + bins × points)
 * rather than O(n × points). Samples outside the range still contribute their tail mass.
 */
export function kde(sorted: Float64Array, range: [number, number], points = 160): DensityPoint[] {
  const n = sorted.length;
  if (n === 0) return [];
  const [lo, hi] = range;
  const width = hi - lo;
  let h = bandwidth(sorted);
  if (!(h > 0)) h = width / 50;
  // Fine grid extended by 4 bandwidths on each side so clipped tails are kept.
  const gLo = lo - 4 * h;
  const gHi = hi + 4 * h;
  const bins = 512;
  const step = (gHi - gLo) / (bins - 1);
  const weight = new Float64Array(bins);
  for (const v of sorted) {
    const pos = (Math.min(gHi, Math.max(gLo, v)) - gLo) / step;
    const i = Math.min(bins - 2, Math.floor(pos));
    const f = pos - i;
    weight[i]! += 1 - f;
    weight[i + 1]! += f;
  }
  const norm = 1 / (n * h * Math.sqrt(2 * Math.PI));
  const out: DensityPoint[] = [];
  for (let j = 0; j < points; j++) {
    const x = lo + (width * j) / (points - 1);
    let sum = 0;
    for (let i = 0; i < bins; i++) {
      const w = weight[i]!;
      if (w === 0) continue;
      const z = (x - (gLo + i * step)) / h;
      if (z > 8 || z < -8) continue;
      sum += w * Math.exp(-0.5 * z * z);
    }
    out.push({ x, density: sum * norm });
  }
  return out;
}

/** Keeps at most `max` evenly strided items, always including the last. */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return items.slice();
  const stride = Math.ceil(items.length / max);
  const out: T[] = [];
  for (let i = 0; i < items.length; i += stride) out.push(items[i]!);
  if ((items.length - 1) % stride !== 0) out.push(items[items.length - 1]!);
  return out;
}
