// Standard normals for the variational samples, keyed by (seed, purpose, epoch) through the
// addon's Philox generator, so a run resumed from a checkpoint draws exactly the same numbers.
import { native } from '../native.js';
import type { Prior } from './priors.js';

const MAX_SAFE = 2 ** 53;

/** A derived seed for one use; stays an exact integer below 2^53. */
export function deriveSeed(seed: number, purpose: number, index: number): number {
  return ((seed * 7919 + purpose) * 1_000_003 + index) % MAX_SAFE;
}

export function standardNormals(seed: number, count: number): Float64Array {
  return native().internals.variates('normal', 'float64', seed, count);
}

export function standardUniforms(seed: number, count: number): Float64Array {
  return native().internals.variates('uniform', 'float64', seed, count);
}

export const Purpose = {
  variational: 1, simulation: 2, posteriorSample: 3, prior: 4, flowInitialisation: 5,
  // diagnose: the truths, their data, their fits and the posterior draws ranked.
  diagnoseTruth: 11, diagnoseData: 12, diagnoseFit: 13, diagnoseDraws: 14,
} as const;

/** n reproducible draws from a prior (natural units), stream `seed`. */
export function priorDraws(prior: Prior, n: number, seed: number): number[] {
  const normals = standardNormals(deriveSeed(seed, Purpose.prior, 0), 16 * n);
  const uniforms = standardUniforms(deriveSeed(seed, Purpose.prior, 1), 16 * n);
  let i = 0;
  let j = 0;
  return Array.from({ length: n }, () => prior.sample(() => normals[i++ % normals.length]!, () => uniforms[j++ % uniforms.length]!));
}
