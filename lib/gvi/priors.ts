// Prior distributions over a parameter in natural units: log density, its derivative, sampling.
import { invalidType, outOfRange } from '../errors.js';
import type { Constraint } from '../native.js';
import { logGamma, sampleGamma } from './gamma.js';

export interface Prior {
  readonly kind: 'normal' | 'logNormal' | 'uniform' | 'beta' | 'halfNormal';
  readonly params: readonly number[];
  /** The constraint whose support the prior covers. */
  readonly support: Constraint | 'interval';
  logDensity(x: number): number;
  /** d log density / dx. */
  logDensityDerivative(x: number): number;
  /** A draw from two independent standard uniforms and normals supplied by the caller. */
  sample(normal: () => number, uniform: () => number): number;
  /**
   * When the prior is Gaussian in the unconstrained space of `constraint` (normal on a real
   * parameter, logNormal on a positive one): its mean and sd there, for an exact KL.
   */
  gaussianIn(constraint: Constraint): { mean: number; sd: number } | undefined;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

function positiveNumber(name: string, x: unknown): number {
  if (typeof x !== 'number') throw invalidType(name, 'a finite number > 0', x);
  if (!(x > 0) || !Number.isFinite(x)) throw outOfRange(name, 'a finite number > 0', x);
  return x;
}

function finiteNumber(name: string, x: unknown): number {
  if (typeof x !== 'number') throw invalidType(name, 'a finite number', x);
  if (!Number.isFinite(x)) throw outOfRange(name, 'a finite number', x);
  return x;
}

export function normal(mean = 0, sd = 1): Prior {
  finiteNumber('normal(mean)', mean);
  positiveNumber('normal(sd)', sd);
  return {
    kind: 'normal', params: [mean, sd], support: 'real',
    logDensity: (x) => -0.5 * ((x - mean) / sd) ** 2 - Math.log(sd) - LOG_SQRT_2PI,
    logDensityDerivative: (x) => -(x - mean) / (sd * sd),
    sample: (n) => mean + sd * n(),
    gaussianIn: (c) => (c === 'real' ? { mean, sd } : undefined),
  };
}

/** log X ~ N(mu, sigma²). */
export function logNormal(mu = 0, sigma = 1): Prior {
  finiteNumber('logNormal(mu)', mu);
  positiveNumber('logNormal(sigma)', sigma);
  return {
    kind: 'logNormal', params: [mu, sigma], support: 'positive',
    logDensity: (x) => (x > 0 ? -0.5 * ((Math.log(x) - mu) / sigma) ** 2 - Math.log(sigma * x) - LOG_SQRT_2PI : -Infinity),
    logDensityDerivative: (x) => (-(Math.log(x) - mu) / (sigma * sigma) - 1) / x,
    sample: (n) => Math.exp(mu + sigma * n()),
    gaussianIn: (c) => (c === 'positive' ? { mean: mu, sd: sigma } : undefined),
  };
}

export function uniform(low = 0, high = 1): Prior {
  finiteNumber('uniform(low)', low);
  finiteNumber('uniform(high)', high);
  if (!(high > low)) throw new RangeError(`uniform(low, high) needs high > low, got ${low}, ${high}`);
  return {
    kind: 'uniform', params: [low, high], support: 'interval',
    logDensity: (x) => (x >= low && x <= high ? -Math.log(high - low) : -Infinity),
    logDensityDerivative: () => 0,
    sample: (_n, u) => low + (high - low) * u(),
    gaussianIn: () => undefined,
  };
}

export function beta(a = 1, b = 1): Prior {
  positiveNumber('beta(a)', a);
  positiveNumber('beta(b)', b);
  const logNorm = logGamma(a + b) - logGamma(a) - logGamma(b);
  return {
    kind: 'beta', params: [a, b], support: 'unit',
    logDensity: (x) => (x > 0 && x < 1 ? logNorm + (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) : -Infinity),
    logDensityDerivative: (x) => (a - 1) / x - (b - 1) / (1 - x),
    sample: (n, u) => {
      const x = sampleGamma(a, n, u);
      return x / (x + sampleGamma(b, n, u));
    },
    gaussianIn: () => undefined,
  };
}

/** |X| with X ~ N(0, sd²). */
export function halfNormal(sd = 1): Prior {
  positiveNumber('halfNormal(sd)', sd);
  return {
    kind: 'halfNormal', params: [sd], support: 'positive',
    logDensity: (x) => (x >= 0 ? Math.log(2) - 0.5 * (x / sd) ** 2 - Math.log(sd) - LOG_SQRT_2PI : -Infinity),
    logDensityDerivative: (x) => -x / (sd * sd),
    sample: (n) => Math.abs(sd * n()),
    gaussianIn: () => undefined,
  };
}
