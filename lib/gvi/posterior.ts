// The fitted variational posterior, in natural units: θ = T(u), u ~ N(μ, LLᵀ).
import { choleskyOf, meanOf, transform, type Family } from './family.js';
import { normalQuantile } from './normal.js';
import type { FreeParameter } from './parameters.js';
import { deriveSeed, Purpose, standardNormals } from './random.js';

const MOMENT_SAMPLES = 4096;

export interface PosteriorJson {
  family: Family['name'];
  parameters: Array<{ name: string; constraint: string; prior: { kind: string; params: readonly number[] } }>;
  fixed: Record<string, number>;
  unconstrained: { mean: number[]; cholesky: number[][] };
  mean: Record<string, number>;
  quantiles: Record<string, { q05: number; q50: number; q95: number }>;
}

export class Posterior {
  readonly names: string[];

  constructor(
    readonly family: Family,
    readonly params: FreeParameter[],
    readonly phi: Float64Array,
    /** Parameters held at fixed values during the fit. */
    readonly fixed: Record<string, number>,
  ) {
    this.names = params.map((p) => p.name);
  }

  /** n draws in natural units (free parameters only), reproducible by seed. */
  sample(n: number, seed = 0): Record<string, number>[] {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`sample(n) needs an integer n >= 1, got ${n}`);
    const P = this.family.dimension;
    const z = standardNormals(deriveSeed(seed, Purpose.posteriorSample, 0), n * P);
    return Array.from({ length: n }, (_, s) => {
      const u = transform(this.family, this.phi, z.subarray(s * P, (s + 1) * P));
      return Object.fromEntries(this.params.map((p, i) => [p.name, p.bijector.forward(u[i]!)]));
    });
  }

  /** Posterior mean in natural units (Monte Carlo, 4096 draws with a fixed seed). */
  mean(): Record<string, number> {
    const draws = this.sample(MOMENT_SAMPLES, 0);
    return Object.fromEntries(this.names.map((name) => [name, draws.reduce((a, d) => a + d[name]!, 0) / draws.length]));
  }

  /** Posterior covariance in natural units (Monte Carlo), rows and columns in `names` order. */
  covariance(): number[][] {
    const draws = this.sample(MOMENT_SAMPLES, 0);
    const mean = this.mean();
    return this.names.map((a) =>
      this.names.map((b) => draws.reduce((s, d) => s + (d[a]! - mean[a]!) * (d[b]! - mean[b]!), 0) / (draws.length - 1)),
    );
  }

  /** Exact marginal quantiles: each bijector is increasing, so quantiles map through it. */
  quantiles(levels: readonly number[] = [0.05, 0.5, 0.95]): Record<string, number[]> {
    const P = this.family.dimension;
    const L = choleskyOf(this.family, this.phi);
    return Object.fromEntries(
      this.params.map((p, i) => {
        let variance = 0;
        for (let j = 0; j <= i; j++) variance += L[i * P + j]! ** 2;
        return [p.name, levels.map((q) => p.bijector.forward(this.phi[i]! + Math.sqrt(variance) * normalQuantile(q)))];
      }),
    );
  }

  /** log density of the posterior at θ (natural units, free parameters). */
  logProb(theta: Record<string, number>): number {
    const P = this.family.dimension;
    const L = choleskyOf(this.family, this.phi);
    const u = this.params.map((p) => p.bijector.inverse(theta[p.name]!));
    // z = L⁻¹(u − μ) by forward substitution.
    const z = new Float64Array(P);
    let logDet = 0;
    for (let i = 0; i < P; i++) {
      let v = u[i]! - this.phi[i]!;
      for (let j = 0; j < i; j++) v -= L[i * P + j]! * z[j]!;
      z[i] = v / L[i * P + i]!;
      logDet += Math.log(L[i * P + i]!);
    }
    let value = -logDet - 0.5 * P * Math.log(2 * Math.PI);
    for (let i = 0; i < P; i++) value -= 0.5 * z[i]! ** 2 + this.params[i]!.bijector.logDetJacobian(u[i]!);
    return value;
  }

  /** μ and L of the Gaussian over the unconstrained parameters. */
  unconstrained(): { mean: number[]; cholesky: number[][] } {
    const P = this.family.dimension;
    const L = choleskyOf(this.family, this.phi);
    return { mean: Array.from(meanOf(this.family, this.phi)), cholesky: Array.from({ length: P }, (_, i) => Array.from(L.subarray(i * P, (i + 1) * P))) };
  }

  toJSON(): PosteriorJson {
    const q = this.quantiles([0.05, 0.5, 0.95]);
    return {
      family: this.family.name,
      parameters: this.params.map((p) => ({ name: p.name, constraint: p.constraint, prior: { kind: p.prior.kind, params: p.prior.params } })),
      fixed: this.fixed,
      unconstrained: this.unconstrained(),
      mean: this.mean(),
      quantiles: Object.fromEntries(this.names.map((n) => [n, { q05: q[n]![0]!, q50: q[n]![1]!, q95: q[n]![2]! }])),
    };
  }
}
