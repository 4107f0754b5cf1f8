// Simulation-based calibration (Talts et al. 2018) and expected coverage from per-fit ranks: for
// a posterior recipe that is calibrated, the rank of the true parameter among L posterior draws is
// uniform on 0..L, and a central interval of level l holds the truth in a share l of the fits.
import { chiSquareSurvival } from './distributions.js';

/** The levels of the central intervals whose coverage is measured. */
export const coverageLevels: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Number of the L posterior draws strictly below the truth: 0..L. */
export function rankOf(draws: readonly number[], truth: number): number {
  let rank = 0;
  for (const d of draws) if (d < truth) rank++;
  return rank;
}

/**
 * Whether the truth lies inside the central interval of each level, judged from its rank: the
 * interval of level l spans the posterior quantiles (1 − l)/2 and (1 + l)/2, and the truth's
 * quantile is estimated as (rank + ½)/(L + 1).
 */
export function insideCentralIntervals(rank: number, draws: number, levels: readonly number[] = coverageLevels): boolean[] {
  const quantile = (rank + 0.5) / (draws + 1);
  return levels.map((l) => Math.abs(quantile - 0.5) < l / 2);
}

/** Histogram of ranks 0..draws in `bins` equal bins. */
export function rankHistogram(ranks: readonly number[], draws: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const r of ranks) counts[Math.min(bins - 1, Math.floor((r * bins) / (draws + 1)))]! += 1;
  return counts;
}

/** Bins for n ranks: about 5 expected per bin or more, between 2 and 20. */
export function defaultBins(n: number): number {
  return Math.max(2, Math.min(20, Math.floor(n / 5)));
}

/**
 * p-value of Pearson's χ² test that the ranks are uniform over `bins` bins. The bins split 0..draws
 * into near-equal groups; expected counts follow the exact share of rank values in each bin.
 */
export function uniformityPValue(ranks: readonly number[], draws: number, bins: number): number {
  const n = ranks.length;
  if (n === 0) return NaN;
  const counts = rankHistogram(ranks, draws, bins);
  const values = draws + 1;
  let statistic = 0;
  for (let b = 0; b < bins; b++) {
    // Rank values r with floor(r · bins / values) = b.
    const first = Math.ceil((b * values) / bins);
    const last = Math.ceil(((b + 1) * values) / bins) - 1;
    const expected = (n * (last - first + 1)) / values;
    statistic += (counts[b]! - expected) ** 2 / expected;
  }
  return chiSquareSurvival(statistic, bins - 1);
}

/** Share of fits whose truth lies inside the central interval, per level. */
export function coverageOf(inside: readonly (readonly boolean[])[], levels: readonly number[] = coverageLevels): Array<{ level: number; observed: number }> {
  return levels.map((level, j) => ({ level, observed: inside.length === 0 ? NaN : inside.filter((flags) => flags[j]).length / inside.length }));
}
