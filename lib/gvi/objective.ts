// One stochastic estimate of L(φ) = E_q[loss] + w · KL(q ‖ prior) and its gradient.
import { chainTangents, evaluateLoss } from '../chain.js';
import type { Loss } from '../losses/loss.js';
import type { Model } from '../models/model.js';
import { simulate, type SimulateOptions } from '../simulate.js';
import type { Draw, Family } from './family.js';
import type { FreeParameter } from './parameters.js';
import { deriveSeed, Purpose, standardNormals } from './random.js';

export type LossGradientEstimator = 'pathwise' | 'finite-difference' | 'score';

/**
 * Step of the finite-difference estimator in the unconstrained space: relative for positive and
 * unit parameters (log and logit scales), absolute for real ones. Large enough to average over the
 * fine structure of chaotic simulators, whose pathwise tangents grow exponentially in time.
 */
export const differenceStep = 1e-2;

export interface ObjectiveSetup {
  model: Model;
  family: Family;
  params: FreeParameter[];
  fixed: Record<string, number>;
  loss: Loss;
  weight: number;
  samples: number;
  replicatesPerSample: number;
  estimator: LossGradientEstimator;
  seed: number;
  simulation: Omit<SimulateOptions, 'replicates' | 'seed' | 'tangents' | 'signal'>;
}

/** What computing one sample's statistic needs (a cluster worker has this, not the family). */
export type SampleSetup = Pick<ObjectiveSetup, 'model' | 'params' | 'fixed' | 'loss' | 'samples' | 'replicatesPerSample' | 'estimator' | 'seed' | 'simulation'>;

export interface ObjectiveEstimate {
  total: number;
  expectedLoss: number;
  kl: number;
  gradient: Float64Array;
  /** Variational samples left out because every replicate of theirs had a NaN loss or gradient. */
  droppedSamples: number;
}

export function naturalPoint(setup: Pick<ObjectiveSetup, 'params' | 'fixed'>, u: ArrayLike<number>): Record<string, number> {
  const point: Record<string, number> = { ...setup.fixed };
  setup.params.forEach((p, i) => {
    point[p.name] = p.bijector.forward(u[i]!);
  });
  return point;
}

/**
 * What one variational sample contributes: the mean loss and mean d loss / d u over its replicates
 * with finite numbers, as [loss, gradient...]; null when every replicate of it was NaN or infinite.
 */
export type SampleStatistic = Float64Array | null;

/** Computes the statistics of consecutive samples; a cluster runs them on its workers instead. */
export type SampleRunner = (us: readonly Float64Array[], epoch: number, signal?: AbortSignal) => Promise<SampleStatistic[]>;

/** The variational draws of an epoch: keyed by (seed, epoch), so any process draws the same. */
export function epochDraws(setup: ObjectiveSetup, phi: Float64Array, epoch: number): Draw[] {
  const { family: f, samples: S } = setup;
  const P = f.dimension;
  const normals = standardNormals(deriveSeed(setup.seed, Purpose.variational, epoch), S * P);
  return Array.from({ length: S }, (_, s) => f.draw(phi, normals.subarray(s * P, (s + 1) * P)));
}

/**
 * The statistics of samples firstSample, firstSample + 1, ... at points `us` (unconstrained). Each
 * sample's replicates draw the random numbers of replicates s·R..s·R+R-1 of the epoch's stream,
 * so a sample computed alone (on a cluster worker) equals the same sample computed with the others.
 */
export async function sampleStatistics(
  setup: SampleSetup,
  us: readonly ArrayLike<number>[],
  firstSample: number,
  epoch: number,
  signal?: AbortSignal,
): Promise<SampleStatistic[]> {
  const { params, replicatesPerSample: R } = setup;
  const P = params.length;
  const pathwise = setup.estimator === 'pathwise';
  const differences = setup.estimator === 'finite-difference';
  const simulation = {
    ...setup.simulation,
    replicates: R,
    seed: deriveSeed(setup.seed, Purpose.simulation, epoch),
    firstReplicate: firstSample * R,
    wholeReplicates: setup.samples * R,
    signal,
    nonFinite: 'keep' as const,
  };
  const sim = await simulate(setup.model, us.map((u) => naturalPoint(setup, u)), {
    ...simulation,
    tangents: pathwise ? params.map((p) => p.name) : [],
  });
  // Finite differences: every sample at u ± h e_k, with the random numbers of its own replicates.
  const shifted = async (k: number, h: number) =>
    simulate(setup.model, us.map((u) => naturalPoint(setup, Array.from(u, (x, i) => (i === k ? x + h : x)))), simulation);
  const sides = differences
    ? await Promise.all(params.map(async (_, k) => [await shifted(k, differenceStep), await shifted(k, -differenceStep)] as const))
    : [];

  return us.map((u, s) => {
    let lossSum = 0;
    const gradSum = new Float64Array(P);
    let count = 0;
    for (let j = 0; j < R; j++) {
      const r = s * R + j;
      const { value, gradient: dx } = evaluateLoss(setup.loss, sim, r);
      const g = pathwise
        ? chainTangents(dx, sim, r).map((gk, k) => gk * params[k]!.bijector.derivative(u[k]!))
        : differences
          ? Float64Array.from(sides, ([plus, minus]) => (evaluateLoss(setup.loss, plus, r).value - evaluateLoss(setup.loss, minus, r).value) / (2 * differenceStep))
          : new Float64Array(P);
      if (!Number.isFinite(value) || !g.every(Number.isFinite)) continue;
      lossSum += value;
      for (let k = 0; k < P; k++) gradSum[k] = gradSum[k]! + g[k]!;
      count++;
    }
    if (count === 0) return null;
    const statistic = new Float64Array(1 + P);
    statistic[0] = lossSum / count;
    for (let k = 0; k < P; k++) statistic[1 + k] = gradSum[k]! / count;
    return statistic;
  });
}

/** Every sample of the epoch in one batched simulation, in this process. */
export const localSamples = (setup: ObjectiveSetup): SampleRunner => (us, epoch, signal) => sampleStatistics(setup, us, 0, epoch, signal);

export async function estimateObjective(
  setup: ObjectiveSetup,
  phi: Float64Array,
  epoch: number,
  signal?: AbortSignal,
  runSamples: SampleRunner = localSamples(setup),
): Promise<ObjectiveEstimate> {
  const { family: f, samples: S } = setup;
  const draws = epochDraws(setup, phi, epoch);
  const statistics = await runSamples(draws.map((d) => d.u), epoch, signal);
  const kept = statistics.flatMap((statistic, s) => (statistic === null ? [] : [s]));
  if (kept.length === 0) {
    throw new RangeError(
      `fit: every simulation of epoch ${epoch} gave a NaN or infinite loss or gradient; the posterior reached parameters ` +
        "that overflow the arithmetic (try dtype 'float64', a narrower prior or a smaller lr)",
    );
  }
  const sampleLoss = (s: number) => statistics[s]![0]!;
  const pathwise = setup.estimator === 'pathwise' || setup.estimator === 'finite-difference';

  const gradient = new Float64Array(f.size);
  const expectedLoss = kept.reduce((a, s) => a + sampleLoss(s), 0) / kept.length;
  for (const s of kept) {
    if (pathwise) {
      f.accumulatePathGradient(phi, draws[s]!, statistics[s]!.subarray(1), 1 / kept.length, gradient);
    } else {
      const baseline = kept.length > 1 ? (expectedLoss * kept.length - sampleLoss(s)) / (kept.length - 1) : 0;
      const score = f.scoreOfSample(phi, draws[s]!);
      for (let i = 0; i < f.size; i++) gradient[i] = gradient[i]! + ((sampleLoss(s) - baseline) * score[i]!) / kept.length;
    }
  }
  // KL(q ‖ π) in the unconstrained space: exact for Gaussian families under Gaussian priors there.
  const kl = f.kl(setup.params, setup.weight, phi, draws, gradient);
  return { total: expectedLoss + setup.weight * kl, expectedLoss, kl, gradient, droppedSamples: S - kept.length };
}
