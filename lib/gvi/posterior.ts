// The fitted variational posterior, in natural units: θ = T(u), u ~ q_φ (N(μ, LLᵀ) for the
// Gaussian families, a normalizing flow for 'flow').
import { GaussianFamily, type Family } from './family.js';
import type { FlowConfig } from './flow/options.js';
import { quantileOfSorted } from '../stats/series.js';
import type { FreeParameter } from './parameters.js';
import { deriveSeed, Purpose, standardNormals } from './random.js';

const MOMENT_SAMPLES = 4096;

export interface PosteriorJson {
  family: Family['name'];
  parameters: Array<{ name: string; constraint: string; prior: { kind: string; params: readonly number[] } }>;
  fixed: Record<string, number>;
  /** The Gaussian families: μ and L of the Gaussian over the unconstrained parameters. */
  unconstrained?: { mean: number[]; cholesky: number[][] };
  /** The flow: its configuration and φ (fit's layout: μ, log σ, then the conditioners). */
  flow?: FlowConfig & { phi: number[] };
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
      const u = this.family.draw(this.phi, z.subarray(s * P, (s + 1) * P)).u;
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

  /**
   * Marginal quantiles. Exact for the Gaussian families (each bijector is increasing, so quantiles
   * map through it); Monte Carlo for the flow (4096 draws with a fixed seed, linear interpolation
   * between order statistics).
   */
  quantiles(levels: readonly number[] = [0.05, 0.5, 0.95]): Record<string, number[]> {
    for (const q of levels) if (!(q > 0 && q < 1)) throw new RangeError(`quantile level must be in (0, 1), got ${q}`);
    const exact = this.family.marginalQuantiles(this.phi, levels);
    if (exact) return Object.fromEntries(this.params.map((p, i) => [p.name, exact[i]!.map((u) => p.bijector.forward(u))]));
    const draws = this.sample(MOMENT_SAMPLES, 0);
    return Object.fromEntries(
      this.names.map((name) => {
        const sorted = draws.map((d) => d[name]!).sort((a, b) => a - b);
        return [name, levels.map((q) => quantileOfSorted(sorted, q))];
      }),
    );
  }

  /** log density of the posterior at θ (natural units, free parameters); for the flow through its analytic inverse. */
  logProb(theta: Record<string, number>): number {
    const u = this.params.map((p) => p.bijector.inverse(theta[p.name]!));
    return this.family.logDensity(this.phi, u, this.params.map((p, i) => p.bijector.logDetJacobian(u[i]!)));
  }

  /** μ and L of the Gaussian over the unconstrained parameters (the Gaussian families only). */
  unconstrained(): { mean: number[]; cholesky: number[][] } {
    const f = this.family;
    if (!(f instanceof GaussianFamily)) {
      throw new TypeError(`unconstrained() gives the mean and Cholesky factor of a Gaussian family; this posterior is a '${f.name}' (use sample, mean, covariance, quantiles, logProb or toJSON)`);
    }
    const P = f.dimension;
    const L = f.cholesky(this.phi);
    return { mean: Array.from(f.mean(this.phi)), cholesky: Array.from({ length: P }, (_, i) => Array.from(L.subarray(i * P, (i + 1) * P))) };
  }

  toJSON(): PosteriorJson {
    const q = this.quantiles([0.05, 0.5, 0.95]);
    return {
      family: this.family.name,
      parameters: this.params.map((p) => ({ name: p.name, constraint: p.constraint, prior: { kind: p.prior.kind, params: p.prior.params } })),
      fixed: this.fixed,
      ...(this.family.configuration
        ? { flow: { ...this.family.configuration, phi: Array.from(this.phi) } }
        : { unconstrained: this.unconstrained() }),
      mean: this.mean(),
      quantiles: Object.fromEntries(this.names.map((n) => [n, { q05: q[n]![0]!, q50: q[n]![1]!, q95: q[n]![2]! }])),
    };
  }
}
