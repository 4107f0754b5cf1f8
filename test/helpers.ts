import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { simulate, type Loss, type Model, type SimulateOptions } from '../lib/index.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function fixture(name: string): string {
  return readFileSync(join(repoRoot, 'test', 'fixtures', name), 'utf8');
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Standard error of the mean. */
export function stderr(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / (xs.length - 1) / xs.length);
}

/** Element i * stride + offset of a flat array, for i in [0, count). */
export function strided(xs: ArrayLike<number>, count: number, stride: number, offset: number): number[] {
  return Array.from({ length: count }, (_, i) => xs[i * stride + offset]!);
}

/** Deterministic normal samples (mulberry32 + Box–Muller), independent of the addon. */
export function normals(seed: number, count: number, mean = 0, sd = 1): number[] {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 + 1 / 8589934592;
  };
  return Array.from({ length: count }, () => mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

export interface TangentCheck {
  name: string;
  /** Largest |central difference| over all outputs: how much the outputs depend on the parameter. */
  scale: number;
  /** Worst |tangent - central| / max(|central|, 1e-3 scale) over all outputs. */
  worst: number;
}

/**
 * Forward-mode tangents of every parameter in `names` against central differences with common
 * random numbers (the same options, so the same draws), with step `step(name)` in natural units.
 */
export async function checkTangents(
  model: Model,
  theta: Record<string, number>,
  names: readonly string[],
  options: SimulateOptions,
  step: (name: string) => number,
): Promise<TangentCheck[]> {
  const sim = await simulate(model, theta, { ...options, tangents: [...names] });
  const checks: TangentCheck[] = [];
  for (const [lane, name] of names.entries()) {
    const h = step(name);
    const plus = await simulate(model, { ...theta, [name]: theta[name]! + h }, options);
    const minus = await simulate(model, { ...theta, [name]: theta[name]! - h }, options);
    const forward = strided(sim.tangents!, sim.values.length, names.length, lane);
    const central = Array.from(plus.values, (v, i) => (v - minus.values[i]!) / (2 * h));
    const scale = Math.max(...central.map(Math.abs));
    const worst = Math.max(...central.map((c, i) => Math.abs(forward[i]! - c) / Math.max(Math.abs(c), 1e-3 * scale)));
    checks.push({ name, scale, worst });
  }
  return checks;
}

/** The last simulated value itself, so that the gradient is d E[x(T)] / dθ. */
export const finalValue: Loss = {
  name: 'finalValue',
  evaluate(simulated) {
    const gradient = new Float64Array(simulated.length);
    gradient[simulated.length - 1] = 1;
    return { value: simulated[simulated.length - 1]!, gradient };
  },
};
