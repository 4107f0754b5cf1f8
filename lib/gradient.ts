// gradient(): d E[loss(simulate(θ), observed)] / dθ by one of three estimators, with a standard
// error from the spread over replicates.
import { invalidType, isPlainObject, outOfRange } from './errors.js';
import { chainTangents, evaluateLoss } from './chain.js';
import type { Loss } from './losses/loss.js';
import type { Model } from './models/model.js';
import { resolveTangents, simulate, thetaVector, type Simulation, type SimulateOptions } from './simulate.js';

export type Estimator = 'pathwise' | 'finite-difference' | 'score';
const estimators: readonly Estimator[] = ['pathwise', 'finite-difference', 'score'];

export interface GradientOptions extends Omit<SimulateOptions, 'tangents'> {
  loss: Loss;
  /** Default 'pathwise'. */
  estimator?: Estimator;
  /** Parameters to differentiate: names, or true for all (default all). */
  tangents?: readonly string[] | true;
  /** Finite differences: step relative to max(|θ_k|, 1e-3) (default 1e-2). */
  step?: number;
}

export interface GradientResult {
  /** Mean loss over the kept replicates. */
  value: number;
  valueStderr: number;
  /** Mean per-replicate gradient, by parameter name. */
  grad: Record<string, number>;
  /** Standard error of each gradient component. */
  stderr: Record<string, number>;
  estimator: Estimator;
  /** Replicates averaged. */
  replicates: number;
  /** Replicates dropped because their loss or gradient was not finite. */
  dropped: number;
}

interface PerReplicate {
  loss: Float64Array;
  /** [replicate][parameter] */
  grad: Float64Array[];
}

function evaluateLosses(loss: Loss, sim: Simulation) {
  return Array.from({ length: sim.shape.replicates }, (_, r) => evaluateLoss(loss, sim, r));
}

async function pathwise(model: Model, theta: Record<string, number>, names: string[], options: GradientOptions): Promise<PerReplicate> {
  const sim = await simulate(model, theta, { ...options, tangents: names });
  const evaluations = evaluateLosses(options.loss, sim);
  return {
    loss: Float64Array.from(evaluations, (e) => e.value),
    grad: evaluations.map((e, r) => chainTangents(e.gradient, sim, r)),
  };
}

// Score function with a leave-one-out baseline for the discrete draws, plus the pathwise
// derivative through the reparameterised continuous noise (whose tangents stay exact).
async function score(model: Model, theta: Record<string, number>, names: string[], options: GradientOptions): Promise<PerReplicate> {
  const sim = await simulate(model, theta, { ...options, tangents: names, discrete: { ...options.discrete, mode: 'score' } });
  const evaluations = evaluateLosses(options.loss, sim);
  const loss = Float64Array.from(evaluations, (e) => e.value);
  const K = names.length;
  const finite = Array.from(loss, Number.isFinite);
  const keptCount = finite.filter(Boolean).length;
  const keptSum = loss.reduce((s, l, r) => (finite[r] ? s + l : s), 0);
  const grad = evaluations.map((e, r) => {
    const g = chainTangents(e.gradient, sim, r);
    const baseline = keptCount > 1 ? (keptSum - (finite[r] ? loss[r]! : 0)) / (keptCount - (finite[r] ? 1 : 0)) : 0;
    for (let k = 0; k < K; k++) g[k] = g[k]! + (loss[r]! - baseline) * sim.logProb![r * (1 + K) + 1 + k]!;
    return g;
  });
  return { loss, grad };
}

// Steps inside the parameter's constraint: central where θ ± h fit, else one-sided. The step is
// relative to max(|θ|, 1e-3), so a parameter at or near zero still moves measurably.
function differenceStep(model: Model, name: string, value: number, relative: number): { lower: number; upper: number } {
  const h = relative * Math.max(Math.abs(value), 1e-3);
  const constraint = model.parameters.find((p) => p.name === name)!.constraint;
  let lower = value - h;
  let upper = value + h;
  if (constraint === 'positive' && lower <= 0) lower = value;
  if (constraint === 'unit' && lower < 0) lower = value;
  if (constraint === 'unit' && upper > 1) upper = value;
  return { lower, upper };
}

async function finiteDifference(model: Model, theta: Record<string, number>, names: string[], options: GradientOptions): Promise<PerReplicate> {
  const step = options.step ?? 1e-2;
  if (typeof step !== 'number' || !(step > 0) || !Number.isFinite(step)) throw outOfRange('step', 'a finite number > 0', step);
  const run = async (point: Record<string, number>) => {
    const sim = await simulate(model, point, { ...options, tangents: [] });
    return Float64Array.from(evaluateLosses(options.loss, sim), (e) => e.value);
  };
  const loss = await run(theta);
  const grad = Array.from({ length: loss.length }, () => new Float64Array(names.length));
  for (const [k, name] of names.entries()) {
    const { lower, upper } = differenceStep(model, name, theta[name]!, step);
    const [below, above] = await Promise.all([run({ ...theta, [name]: lower }), run({ ...theta, [name]: upper })]);
    for (let r = 0; r < loss.length; r++) grad[r]![k] = (above[r]! - below[r]!) / (upper - lower);
  }
  return { loss, grad };
}

function meanAndStderr(xs: number[]): [number, number] {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return [mean, NaN];
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return [mean, Math.sqrt(variance / n)];
}

function summarise(per: PerReplicate, names: string[], estimator: Estimator): GradientResult {
  const kept: number[] = [];
  for (let r = 0; r < per.loss.length; r++) {
    if (Number.isFinite(per.loss[r]) && per.grad[r]!.every(Number.isFinite)) kept.push(r);
  }
  if (kept.length === 0) {
    throw new RangeError(
      `gradient: the loss or gradient of every one of the ${per.loss.length} replicates was NaN or infinite; ` +
        "the parameters may overflow the arithmetic (try dtype 'float64' or values nearer the reference)",
    );
  }
  const [value, valueStderr] = meanAndStderr(kept.map((r) => per.loss[r]!));
  const grad: Record<string, number> = {};
  const stderr: Record<string, number> = {};
  names.forEach((name, k) => {
    [grad[name], stderr[name]] = meanAndStderr(kept.map((r) => per.grad[r]![k]!));
  });
  return { value, valueStderr, grad, stderr, estimator, replicates: kept.length, dropped: per.loss.length - kept.length };
}

function checkLoss(loss: unknown): asserts loss is Loss {
  if (!isPlainObject(loss) || typeof loss['evaluate'] !== 'function') {
    throw invalidType('loss', 'a loss from agentgrad losses.*() or an object { name, evaluate(simulated, shape) }', loss);
  }
}

/** Estimates d E[loss] / dθ at θ (natural units) for the chosen parameters. */
export async function gradient(model: Model, theta: Record<string, number>, options: GradientOptions): Promise<GradientResult> {
  if (!isPlainObject(options as unknown)) throw invalidType('options', 'an object with at least { loss }', options);
  checkLoss(options.loss);
  const estimator = options.estimator ?? 'pathwise';
  if (!estimators.includes(estimator)) throw outOfRange('estimator', `one of ${estimators.map((e) => `'${e}'`).join(', ')}`, estimator);
  thetaVector(model, theta);
  const names = resolveTangents(model, options.tangents ?? true);
  if (names.length === 0) throw new RangeError('tangents must name at least one parameter to differentiate');
  const withReplicates = { ...options, replicates: options.replicates ?? 64, nonFinite: 'keep' as const };
  const run = estimator === 'pathwise' ? pathwise : estimator === 'score' ? score : finiteDifference;
  return summarise(await run(model, theta, names, withReplicates), names, estimator);
}
