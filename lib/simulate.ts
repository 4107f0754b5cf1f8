// simulate(): many replicates of a model at one parameter point, with forward-mode tangents.
import { abortError, invalidType, isPlainObject, outOfRange } from './errors.js';
import { isModel, type Model } from './models/model.js';
import {
  native,
  type BackendChoice,
  type BackendName,
  type DiscreteModeName,
  type Dtype,
  type NativeIntervention,
  type NativeSimulateRequest,
  type NativeSimulateResult,
  type RealArray,
} from './native.js';

export interface DiscreteOptions {
  /** Estimator mode of every Bernoulli draw and hard threshold (default 'straight-through'). */
  mode?: DiscreteModeName;
  /** Temperature tau of the Concrete relaxation of Bernoulli draws (default 0.1). */
  tau?: number;
  /** Sharpness k of the sigmoid surrogate sigmoid(k (x - a)) of thresholds (default 5). */
  sharpness?: number;
}

export interface SimulateOptions {
  /** Independent replicates (default 1); per point when theta is an array of points. */
  replicates?: number;
  /** Seed of the counter-based RNG: the same seed gives the same numbers on any thread count (default 0). */
  seed?: number | bigint;
  /**
   * Index of the first replicate's random stream (default 0): replicates 0..n-1 of this call draw
   * exactly the numbers that replicates firstReplicate..firstReplicate+n-1 of one larger call with
   * the same seed draw, so work can be split into pieces (across workers) without changing a bit.
   */
  firstReplicate?: number;
  /**
   * The replicates of the whole call that this one is a piece of (default: this call's own). The
   * CUDA backend sizes its thread blocks by the number of replicates, which for a few very large
   * replicates changes how sums group; with this, a piece groups them as the whole call would, so
   * it agrees bitwise on every model. The CPU backend does not need it.
   */
  wholeReplicates?: number;
  /** Parameters to carry tangents for: names, or true for all (default none, at most 16). */
  tangents?: readonly string[] | boolean;
  discrete?: DiscreteOptions;
  /** 'auto' (default) takes CUDA when a device is present, else the CPU. */
  backend?: BackendChoice;
  /**
   * CUDA devices to spread the replicates over (default: device 0 alone): 'all' for every visible
   * device, or a list of distinct device indices. The replicates are split into contiguous pieces,
   * one per device, that run at once; the numbers are bitwise those of the same call on one device.
   * CUDA only: an error with backend 'cpu'; with 'auto' on a machine without a usable CUDA device
   * the call runs on the CPU and this is not used (so one script serves both). An index that is
   * not visible is a RangeError when the call runs on CUDA.
   */
  devices?: 'all' | readonly number[];
  /** Element type of the results and of the arithmetic (default 'float32'). */
  dtype?: Dtype;
  /** CPU threads (default: all cores). Results do not depend on it. */
  threads?: number;
  /** Memory cap of this request in bytes (default: half the available host memory, 90% of free device memory). */
  maxBytes?: number;
  /** Stops the simulation early; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  /**
   * What to do when extreme parameters overflow the arithmetic into NaN or infinite outputs:
   * 'error' (default) rejects with a RangeError; 'keep' returns them, counted in `nonFinite`.
   */
  nonFinite?: 'error' | 'keep';
}

export interface SimulationShape {
  replicates: number;
  /** steps + 1: the initial state and every step. */
  times: number;
  outputs: number;
  /** K, the number of tangent lanes. */
  tangents: number;
}

export interface Simulation {
  /** [replicates][steps + 1][outputs]. */
  values: RealArray;
  /** [replicates][steps + 1][outputs][K], or null without tangents. */
  tangents: RealArray | null;
  /** Score mode only: [replicates][1 + K], log p(all discrete draws) and its tangents. */
  logProb: RealArray | null;
  shape: SimulationShape;
  /** Parameter name of each tangent lane. */
  tangentNames: string[];
  outputNames: string[];
  backend: BackendName;
  dtype: Dtype;
  /** NaN or infinite numbers among values, tangents and logProb (only with nonFinite: 'keep'). */
  nonFinite: number;
  /** values[r][t][o]. */
  value(replicate: number, time: number, output?: number): number;
  /** d values[r][t][o] / d parameter. */
  tangent(replicate: number, time: number, parameter: string, output?: number): number;
}

const discreteModes: readonly DiscreteModeName[] = ['exact', 'relaxed', 'straight-through', 'smoothed', 'score'];

export function resolveTangents(model: Model, tangents: SimulateOptions['tangents']): string[] {
  const names = model.parameters.map((p) => p.name);
  if (tangents === undefined || tangents === false) return [];
  if (tangents === true) return names;
  if (!Array.isArray(tangents)) throw invalidType('tangents', 'an array of parameter names or a boolean', tangents);
  const seen = new Set<string>();
  for (const t of tangents) {
    if (typeof t !== 'string' || !names.includes(t)) {
      throw outOfRange('tangents', `names of parameters of ${model.name} (${names.join(', ')})`, t);
    }
    if (seen.has(t)) throw new RangeError(`tangents names '${t}' twice`);
    seen.add(t);
  }
  return [...tangents];
}

export function thetaVector(model: Model, theta: unknown): number[] {
  if (!isPlainObject(theta)) throw invalidType('theta', 'an object mapping parameter names to numbers', theta);
  const names = model.parameters.map((p) => p.name);
  for (const key of Object.keys(theta)) {
    if (!names.includes(key)) throw new TypeError(`theta.${key} is not a parameter of ${model.name}; parameters are ${names.join(', ')}`);
  }
  return names.map((name) => {
    const value = theta[name];
    if (value === undefined) throw new TypeError(`theta.${name} is missing; ${model.name} needs ${names.join(', ')}`);
    if (typeof value !== 'number') throw invalidType(`theta.${name}`, 'a number', value);
    return value;
  });
}

function checkDiscrete(discrete: unknown): NativeSimulateRequest['discrete'] {
  if (discrete === undefined) return undefined;
  if (!isPlainObject(discrete)) throw invalidType('discrete', 'an object { mode, tau, sharpness }', discrete);
  const mode = discrete['mode'];
  if (mode !== undefined && !discreteModes.includes(mode as DiscreteModeName)) {
    throw outOfRange('discrete.mode', `one of ${discreteModes.map((m) => `'${m}'`).join(', ')}`, mode);
  }
  return discrete as NativeSimulateRequest['discrete'];
}

// Intervention factors scale a parameter, so they must be positive (the addon checks again).
function checkFactors(model: Model, vector: number[]): void {
  const first = model.parameters.length - model.interventions.length;
  model.interventions.forEach((intervention, m) => {
    const factor = vector[first + m]!;
    if (!(factor > 0 && Number.isFinite(factor))) {
      throw outOfRange(`theta.${intervention.name}`, `a finite number > 0 (the factor of an intervention on ${intervention.parameter})`, factor);
    }
  });
}

function nativeInterventions(model: Model): NativeIntervention[] {
  const names = model.parameters.map((p) => p.name);
  return model.interventions.map((i) => ({ parameter: names.indexOf(i.parameter), from: i.from, ...(i.to === undefined ? {} : { to: i.to }) }));
}

function checkedTheta(model: Model, theta: unknown): number[] {
  const vector = thetaVector(model, theta);
  checkFactors(model, vector);
  return vector;
}

/** Turns user options into the addon's request (ranges are checked natively). */
export function nativeRequest(model: Model, theta: unknown, options: SimulateOptions): NativeSimulateRequest {
  if (!isModel(model)) throw invalidType('model', 'a model from agentgrad models.*()', model);
  if (!isPlainObject(options as unknown)) throw invalidType('options', 'an object', options);
  const tangentNames = resolveTangents(model, options.tangents);
  const names = model.parameters.map((p) => p.name);
  return {
    ...(model.program ? { program: model.program } : { model: model.name }),
    theta: checkedTheta(model, theta),
    ...(model.interventions.length > 0 ? { interventions: nativeInterventions(model) } : {}),
    ...(model.graph ? { graph: { offsets: model.graph.offsets, neighbours: model.graph.neighbours } } : {}),
    settings: { ...model.settings },
    tangents: tangentNames.map((n) => names.indexOf(n)),
    replicates: options.replicates ?? 1,
    seed: options.seed ?? 0,
    ...(options.firstReplicate === undefined ? {} : { firstReplicate: options.firstReplicate }),
    ...(options.wholeReplicates === undefined ? {} : { wholeReplicates: options.wholeReplicates }),
    discrete: checkDiscrete(options.discrete),
    dtype: options.dtype ?? 'float32',
    backend: options.backend ?? 'auto',
    ...(options.devices === undefined ? {} : { devices: options.devices }),
    threads: options.threads ?? 0,
    maxBytes: options.maxBytes ?? 0,
  };
}

/** Parameter points as one row per replicate: point i repeated `each` times. */
function thetaTable(model: Model, points: readonly unknown[], each: number): Float64Array {
  const P = model.parameters.length;
  const table = new Float64Array(points.length * each * P);
  points.forEach((point, i) => {
    let vector: number[];
    try {
      vector = thetaVector(model, point);
    } catch (error) {
      (error as Error).message = (error as Error).message.replace(/^theta/, `theta[${i}]`);
      throw error;
    }
    for (let j = 0; j < each; j++) table.set(vector, (i * each + j) * P);
  });
  return table;
}

/**
 * Runs `replicates` independent trajectories of `model` at `theta` (natural units). With an
 * array of points, runs `replicates` at each, in one native call: replicate i × replicates + j is
 * the j-th at point i.
 */
export async function simulate(
  model: Model,
  theta: Record<string, number> | readonly Record<string, number>[],
  options: SimulateOptions = {},
): Promise<Simulation> {
  const points = Array.isArray(theta) ? (theta as readonly Record<string, number>[]) : undefined;
  if (points?.length === 0) throw new RangeError('theta must hold at least one parameter point');
  const request = nativeRequest(model, points ? points[0] : theta, options);
  if (points) {
    const each = request.replicates;
    if (!Number.isInteger(each) || each < 1) throw outOfRange('replicates', 'an integer >= 1', each);
    request.thetaTable = thetaTable(model, points, each);
    request.replicates = points.length * each;
  }
  if (options.nonFinite !== undefined && options.nonFinite !== 'error' && options.nonFinite !== 'keep') {
    throw outOfRange('nonFinite', "'error' or 'keep'", options.nonFinite);
  }
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidType('signal', 'an AbortSignal', signal);
  if (signal?.aborted) throw abortError();
  const cancel = new Int32Array(1);
  const onAbort = () => Atomics.store(cancel, 0, 1);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await native().simulate({ ...request, cancel });
    if (result.nonFinite > 0 && options.nonFinite !== 'keep') throw nonFiniteError(result, request, model.outputs.length);
    return wrapResult(model, request, result);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw abortError();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

// The first time (step) at which `array`, [replicates][times][cells per time], holds a NaN or an
// infinity; null if none does.
function firstNonFiniteTime(array: ArrayLike<number> | null, times: number, cellsPerTime: number): number | null {
  if (array === null || cellsPerTime === 0) return null;
  let first: number | null = null;
  for (let i = 0; i < array.length; i++) {
    if (Number.isFinite(array[i]!)) continue;
    const time = Math.floor(i / cellsPerTime) % times;
    if (first === null || time < first) first = time;
  }
  return first;
}

function nonFiniteError(result: NativeSimulateResult, request: NativeSimulateRequest, outputs: number): RangeError {
  const dtype = request.dtype ?? 'float32';
  const times = result.values.length / (request.replicates * outputs);
  const K = request.tangents?.length ?? 0;
  const valuesFrom = firstNonFiniteTime(result.values, times, outputs);
  const tangentsFrom = firstNonFiniteTime(result.tangents, times, outputs * K);
  const where = [
    valuesFrom === null ? null : `values from step ${valuesFrom}`,
    tangentsFrom === null ? null : `tangents from step ${tangentsFrom}`,
  ].filter((part) => part !== null).join(', ') || 'log p';
  const hints = [
    dtype === 'float64' ? null : "dtype 'float64'",
    valuesFrom === null && tangentsFrom !== null
      ? 'a smaller tau or another estimator (tangents of discrete draws can grow step after step where the model feeds its outputs back), or fewer steps'
      : 'parameters nearer the reference values',
  ].filter((hint) => hint !== null);
  return new RangeError(
    `the simulation produced ${result.nonFinite} NaN or infinite numbers (${where} of ${times - 1}): they overflow ${dtype} arithmetic; ` +
      `try ${hints.join(', or ')} (or pass nonFinite: 'keep' to receive them)`,
  );
}

function wrapResult(model: Model, request: NativeSimulateRequest, result: NativeSimulateResult): Simulation {
  const { values, tangents, logProb, backend, nonFinite } = result;
  const tangentNames = (request.tangents ?? []).map((j) => model.parameters[j]!.name);
  const shape: SimulationShape = {
    replicates: request.replicates,
    times: model.steps + 1,
    outputs: model.outputs.length,
    tangents: tangentNames.length,
  };
  const cell = (r: number, t: number, o: number) => (r * shape.times + t) * shape.outputs + o;
  return {
    values,
    tangents,
    logProb,
    shape,
    tangentNames,
    outputNames: [...model.outputs],
    backend,
    dtype: request.dtype ?? 'float32',
    nonFinite,
    value: (r, t, o = 0) => values[cell(r, t, o)]!,
    tangent: (r, t, parameter, o = 0) => {
      const lane = tangentNames.indexOf(parameter);
      if (lane < 0 || tangents === null) throw new RangeError(`no tangent was carried for '${parameter}'`);
      return tangents[cell(r, t, o) * shape.tangents + lane]!;
    },
  };
}
