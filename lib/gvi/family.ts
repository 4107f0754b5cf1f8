// Variational families over the unconstrained space, u = T_φ(z), z ~ N(0, I), behind one
// interface; fit, the objective and the posterior only talk to it.
//
// Gaussian families, u = μ + L z: 'diagonal-gaussian': L = diag(exp ρ); 'full-rank-gaussian':
// L lower triangular with diagonal exp ρ. Their φ is [μ (P), ρ (P), strictly-lower entries of L
// row by row]. 'flow': a normalizing flow (flow/family.ts).
import { FlowFamily } from './flow/family.js';
import { flowConfig, type FlowConfig } from './flow/options.js';
import { normalQuantile } from './normal.js';
import { unconstrainedLogPrior, type FreeParameter } from './parameters.js';

export type FamilyName = 'diagonal-gaussian' | 'full-rank-gaussian' | 'flow';
export const familyNames: readonly FamilyName[] = ['diagonal-gaussian', 'full-rank-gaussian', 'flow'];

/** One variational draw: the base normals z, the point u = T_φ(z), and whatever backward needs. */
export interface Draw {
  z: ArrayLike<number>;
  u: Float64Array;
}

export interface Family {
  readonly name: FamilyName;
  readonly dimension: number;
  /** Length of φ. */
  readonly size: number;
  /** What besides the name a fit's identity and the posterior's JSON must record (the flow's shape). */
  readonly configuration: FlowConfig | undefined;
  /** φ for the Gaussian N(mean, diag(scale²)); `seed` keys any other (random) initial values. */
  initialPhi(mean: readonly number[], scale: readonly number[], seed: number): Float64Array;
  draw(phi: Float64Array, z: ArrayLike<number>): Draw;
  /** Adds scale · ∂(gu · u)/∂φ along the draw's path (z fixed) to out. */
  accumulatePathGradient(phi: Float64Array, draw: Draw, gu: ArrayLike<number>, scale: number, out: Float64Array): void;
  /** KL(q ‖ π_u): returns its value (exact or a Monte Carlo estimate over `draws`) and adds weight · ∇φ KL to gradient. */
  kl(params: FreeParameter[], weight: number, phi: Float64Array, draws: Draw[], gradient: Float64Array): number;
  /** ∇φ log q_φ(u) at the draw's u held fixed (the score-function estimator). */
  scoreOfSample(phi: Float64Array, draw: Draw): Float64Array;
  /**
   * log q_φ(u), u in the unconstrained space, less Σ logJacobians[i] when given (log |dθ_i/du_i|
   * of the bijectors: then it is the density of θ).
   */
  logDensity(phi: Float64Array, u: ArrayLike<number>, logJacobians?: ArrayLike<number>): number;
  /** Exact marginal quantiles of each u_i at `levels` ([parameter][level]), or null where there are none in closed form. */
  marginalQuantiles(phi: Float64Array, levels: readonly number[]): number[][] | null;
}

export class GaussianFamily implements Family {
  readonly size: number;
  readonly configuration = undefined;

  constructor(readonly name: 'diagonal-gaussian' | 'full-rank-gaussian', readonly dimension: number) {
    const offDiagonal = name === 'full-rank-gaussian' ? (dimension * (dimension - 1)) / 2 : 0;
    this.size = 2 * dimension + offDiagonal;
  }

  initialPhi(mean: readonly number[], scale: readonly number[]): Float64Array {
    const phi = new Float64Array(this.size);
    phi.set(mean, 0);
    phi.set(scale.map(Math.log), this.dimension);
    return phi;
  }

  mean(phi: Float64Array): Float64Array {
    return phi.slice(0, this.dimension);
  }

  /** The Cholesky factor L as a dense row-major P × P matrix. */
  cholesky(phi: Float64Array): Float64Array {
    const P = this.dimension;
    const L = new Float64Array(P * P);
    for (let i = 0; i < P; i++) L[i * P + i] = Math.exp(phi[P + i]!);
    if (this.name === 'full-rank-gaussian') {
      let k = 2 * P;
      for (let i = 1; i < P; i++) for (let j = 0; j < i; j++) L[i * P + j] = phi[k++]!;
    }
    return L;
  }

  /** u = μ + L z. */
  draw(phi: Float64Array, z: ArrayLike<number>): Draw {
    const P = this.dimension;
    const L = this.cholesky(phi);
    const u = new Float64Array(P);
    for (let i = 0; i < P; i++) {
      let s = phi[i]!;
      for (let j = 0; j <= i; j++) s += L[i * P + j]! * z[j]!;
      u[i] = s;
    }
    return { z, u };
  }

  /** Entropy of N(μ, LLᵀ): Σ log L_ii + P/2 log(2πe). Its gradient with respect to ρ_i is 1. */
  entropy(phi: Float64Array): number {
    let s = 0;
    for (let i = 0; i < this.dimension; i++) s += phi[this.dimension + i]!;
    return s + 0.5 * this.dimension * Math.log(2 * Math.PI * Math.E);
  }

  /**
   * Chain rule from a gradient with respect to u = μ + L z into φ: dμ = g, dL_ij = g_i z_j
   * (j ≤ i), with dρ_i = dL_ii · L_ii.
   */
  accumulatePathGradient(phi: Float64Array, draw: Draw, gu: ArrayLike<number>, scale: number, out: Float64Array): void {
    const P = this.dimension;
    const z = draw.z;
    for (let i = 0; i < P; i++) {
      const g = scale * gu[i]!;
      out[i] = out[i]! + g;
      out[P + i] = out[P + i]! + g * z[i]! * Math.exp(phi[P + i]!);
    }
    if (this.name === 'full-rank-gaussian') {
      let k = 2 * P;
      for (let i = 1; i < P; i++) for (let j = 0; j < i; j++) out[k] = out[k++]! + scale * gu[i]! * z[j]!;
    }
  }

  /** Exact when every prior is Gaussian in the unconstrained space; else −H(q) (exact) − E_q[log π_u(u)] (Monte Carlo). */
  kl(params: FreeParameter[], weight: number, phi: Float64Array, draws: Draw[], gradient: Float64Array): number {
    const P = this.dimension;
    if (params.every((p) => p.gaussian)) {
      const L = this.cholesky(phi);
      let kl = -P / 2;
      params.forEach((p, i) => {
        const { mean, sd } = p.gaussian!;
        let variance = 0;
        for (let j = 0; j <= i; j++) variance += L[i * P + j]! ** 2;
        const s2 = sd * sd;
        kl += Math.log(sd) - phi[P + i]! + (variance + (phi[i]! - mean) ** 2) / (2 * s2);
        gradient[i] = gradient[i]! + (weight * (phi[i]! - mean)) / s2;
        gradient[P + i] = gradient[P + i]! + weight * (L[i * P + i]! ** 2 / s2 - 1);
      });
      if (this.name === 'full-rank-gaussian') {
        let k = 2 * P;
        for (let i = 1; i < P; i++) for (let j = 0; j < i; j++) gradient[k] = gradient[k++]! + (weight * L[i * P + j]!) / params[i]!.gaussian!.sd ** 2;
      }
      return kl;
    }
    // Monte Carlo: KL = -H(q) - E_q[log π_u(u)], the second term differentiated along u = μ + L z.
    let logPrior = 0;
    draws.forEach((draw) => {
      const { value, gradient: gu } = unconstrainedLogPrior(params, draw.u);
      logPrior += value / draws.length;
      this.accumulatePathGradient(phi, draw, gu, -weight / draws.length, gradient);
    });
    for (let i = 0; i < P; i++) gradient[P + i] = gradient[P + i]! - weight;
    return -this.entropy(phi) - logPrior;
  }

  /**
   * ∇φ log q(u) at u = μ + L z (for the score-function estimator): with s = L⁻ᵀ z,
   * dμ = s and dL = (s zᵀ − L⁻ᵀ) on the lower triangle, chained to ρ on the diagonal.
   */
  scoreOfSample(phi: Float64Array, draw: Draw): Float64Array {
    const P = this.dimension;
    const z = draw.z;
    const L = this.cholesky(phi);
    // Solve Lᵀ s = z by back substitution.
    const s = new Float64Array(P);
    for (let i = P - 1; i >= 0; i--) {
      let v = z[i]!;
      for (let k = i + 1; k < P; k++) v -= L[k * P + i]! * s[k]!;
      s[i] = v / L[i * P + i]!;
    }
    const out = new Float64Array(this.size);
    out.set(s, 0);
    // L⁻ᵀ is upper triangular: on the lower triangle only its diagonal 1 / L_ii remains.
    for (let i = 0; i < P; i++) out[P + i] = (s[i]! * z[i]! - 1 / L[i * P + i]!) * L[i * P + i]!;
    if (this.name === 'full-rank-gaussian') {
      let k = 2 * P;
      for (let i = 1; i < P; i++) for (let j = 0; j < i; j++) out[k++] = s[i]! * z[j]!;
    }
    return out;
  }

  logDensity(phi: Float64Array, u: ArrayLike<number>, logJacobians?: ArrayLike<number>): number {
    const P = this.dimension;
    const L = this.cholesky(phi);
    // z = L⁻¹(u − μ) by forward substitution.
    const z = new Float64Array(P);
    let logDet = 0;
    for (let i = 0; i < P; i++) {
      let v = u[i]! - phi[i]!;
      for (let j = 0; j < i; j++) v -= L[i * P + j]! * z[j]!;
      z[i] = v / L[i * P + i]!;
      logDet += Math.log(L[i * P + i]!);
    }
    let value = -logDet - 0.5 * P * Math.log(2 * Math.PI);
    for (let i = 0; i < P; i++) value -= 0.5 * z[i]! ** 2 + (logJacobians ? logJacobians[i]! : 0);
    return value;
  }

  marginalQuantiles(phi: Float64Array, levels: readonly number[]): number[][] {
    const P = this.dimension;
    const L = this.cholesky(phi);
    return Array.from({ length: P }, (_, i) => {
      let variance = 0;
      for (let j = 0; j <= i; j++) variance += L[i * P + j]! ** 2;
      return levels.map((q) => phi[i]! + Math.sqrt(variance) * normalQuantile(q));
    });
  }
}

/** The family `name` over `dimension` parameters; `flow` shapes the flow (default: flowConfig's defaults). */
export function family(name: FamilyName, dimension: number, flow?: FlowConfig): Family {
  return name === 'flow' ? new FlowFamily(dimension, flow ?? flowConfig(undefined)) : new GaussianFamily(name, dimension);
}
