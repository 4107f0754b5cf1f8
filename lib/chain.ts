// From one simulation to per-replicate losses and their gradients with respect to the tangent
// parameters: the step every gradient estimator and the GVI objective share.
import type { Loss, LossEvaluation, SeriesShape } from './losses/loss.js';
import type { Simulation } from './simulate.js';

export function seriesShape(sim: Simulation): SeriesShape {
  return { times: sim.shape.times, outputs: sim.shape.outputs };
}

/** Replicate r's outputs [times][outputs] as float64. */
export function replicateSeries(sim: Simulation, r: number): Float64Array {
  const size = sim.shape.times * sim.shape.outputs;
  return Float64Array.from(sim.values.subarray(r * size, (r + 1) * size));
}

export function evaluateLoss(loss: Loss, sim: Simulation, r: number): LossEvaluation {
  return loss.evaluate(replicateSeries(sim, r), seriesShape(sim));
}

/** Σ_{t,o} ∂loss/∂x[t,o] · ∂x[t,o]/∂θ_k for every tangent lane k of replicate r. */
export function chainTangents(lossGradient: Float64Array, sim: Simulation, r: number): Float64Array {
  const K = sim.shape.tangents;
  const out = new Float64Array(K);
  const base = r * lossGradient.length * K;
  const tangents = sim.tangents!;
  for (let i = 0; i < lossGradient.length; i++) {
    const g = lossGradient[i]!;
    if (g === 0) continue;
    for (let k = 0; k < K; k++) out[k] = out[k]! + g * tangents[base + i * K + k]!;
  }
  return out;
}
