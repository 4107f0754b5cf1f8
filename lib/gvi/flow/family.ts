// The 'flow' variational family: u = μ + σ ⊙ S(z), z ~ N(0, I), S a stack of autoregressive
// rational-quadratic spline layers (transform.ts). It starts as N(μ, diag σ²) (the conditioners'
// output layers are zero), and learns skewed, heavy-tailed, curved and multimodal shapes that the
// Gaussian families cannot take. Its KL term is always a Monte Carlo estimate,
// E_z[log N(z) − log|det ∂u/∂z| − log π_u(u)], differentiated along the path.
import type { Draw, Family } from '../family.js';
import { unconstrainedLogPrior, type FreeParameter } from '../parameters.js';
import { deriveSeed, Purpose, standardNormals } from '../random.js';
import { inputWeights } from './conditioner.js';
import type { FlowConfig } from './options.js';
import { solve } from './solve.js';
import { FlowMap, type FlowTape } from './transform.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

function logStandardNormal(z: ArrayLike<number>): number {
  let value = 0;
  for (let i = 0; i < z.length; i++) value -= 0.5 * z[i]! * z[i]! + LOG_SQRT_2PI;
  return value;
}

export class FlowFamily implements Family {
  readonly name = 'flow' as const;
  readonly size: number;
  readonly map: FlowMap;

  constructor(readonly dimension: number, readonly configuration: FlowConfig) {
    this.map = new FlowMap(dimension, configuration);
    this.size = this.map.size;
  }

  /**
   * μ = mean, ρ = log scale; the conditioners' input weights N(0, 1/inputs) from Philox normals
   * keyed by `seed`, every bias and output weight 0: the flow is then N(mean, diag scale²) exactly
   * as the Gaussian families start.
   */
  initialPhi(mean: readonly number[], scale: readonly number[], seed: number): Float64Array {
    const phi = new Float64Array(this.size);
    phi.set(mean, 0);
    phi.set(scale.map(Math.log), this.dimension);
    const blocks = this.map.conditioners.flat().map(inputWeights).filter((b) => b.count > 0);
    const total = blocks.reduce((a, b) => a + b.count, 0);
    if (total > 0) {
      const normals = standardNormals(deriveSeed(seed, Purpose.flowInitialisation, 0), total);
      let k = 0;
      for (const block of blocks) {
        const inputs = block.count / this.configuration.hidden;
        for (let j = 0; j < block.count; j++) phi[block.offset + j] = normals[k++]! / Math.sqrt(inputs);
      }
    }
    return phi;
  }

  draw(phi: Float64Array, z: ArrayLike<number>): FlowTape {
    return this.map.forward(phi, z);
  }

  accumulatePathGradient(phi: Float64Array, draw: Draw, gu: ArrayLike<number>, scale: number, out: Float64Array): void {
    this.map.backward(phi, draw as FlowTape, Float64Array.from(gu as ArrayLike<number>, (g) => scale * g), 0, out);
  }

  kl(params: FreeParameter[], weight: number, phi: Float64Array, draws: Draw[], gradient: Float64Array): number {
    const S = draws.length;
    let kl = 0;
    for (const draw of draws) {
      const tape = draw as FlowTape;
      const { value, gradient: gu } = unconstrainedLogPrior(params, tape.u);
      kl += (logStandardNormal(tape.z) - tape.logDet - value) / S;
      this.map.backward(phi, tape, gu.map((g) => (-weight / S) * g), -weight / S, gradient);
    }
    return kl;
  }

  /** ∇u log q(u) at the draw's u: c = J⁻ᵀ ∇z [log N(z) − log|det J|], J = ∂u/∂z from P pull-backs. */
  logDensityGradient(phi: Float64Array, tape: FlowTape): Float64Array {
    const P = this.dimension;
    const scratch = new Float64Array(this.size);
    const J = new Float64Array(P * P);
    const unit = new Float64Array(P);
    for (let k = 0; k < P; k++) {
      unit.fill(0);
      unit[k] = 1;
      J.set(this.map.backward(phi, tape, unit, 0, scratch), k * P);
    }
    unit.fill(0);
    const gLogDet = this.map.backward(phi, tape, unit, 1, scratch);
    const v = Float64Array.from(tape.z, (z, i) => -z - gLogDet[i]!);
    const Jt = new Float64Array(P * P);
    for (let i = 0; i < P; i++) for (let k = 0; k < P; k++) Jt[i * P + k] = J[k * P + i]!;
    return solve(Jt, v, P);
  }

  /**
   * ∇φ log q(u) at fixed u = T(z): log q(u) = log N(z) − log|det J| with z = T⁻¹(u; φ), so with
   * v = ∇z [log N(z) − log|det J|] and Jᵀ c = v (J = ∂u/∂z), ∇φ = −∂φ log|det J| − ∂φ (c · u), both
   * at fixed z: one pull-back with cotangents −c on u and −1 on log|det J|.
   */
  scoreOfSample(phi: Float64Array, draw: Draw): Float64Array {
    const tape = draw as FlowTape;
    const c = this.logDensityGradient(phi, tape);
    const out = new Float64Array(this.size);
    this.map.backward(phi, tape, c.map((x) => -x), -1, out);
    return out;
  }

  logDensity(phi: Float64Array, u: ArrayLike<number>, logJacobians?: ArrayLike<number>): number {
    const { z, logDet } = this.map.inverse(phi, u);
    let value = logStandardNormal(z) - logDet;
    if (logJacobians) for (let i = 0; i < this.dimension; i++) value -= logJacobians[i]!;
    return value;
  }

  marginalQuantiles(): null {
    return null;
  }
}
