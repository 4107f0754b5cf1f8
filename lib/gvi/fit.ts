// fit(): generalised variational inference. Minimises E_q[loss] + w · KL(q ‖ prior) over a
// variational family (Gaussian, or a normalizing flow) in the unconstrained space with Adam(W), and
// returns the posterior in natural units.
import { performance } from 'node:perf_hooks';

import { invalidType, isPlainObject, outOfRange } from '../errors.js';
import { energyDistance, logMse, mmd, mse, type Loss } from '../losses/index.js';
import { isModel, type Model } from '../models/model.js';
import { programIdentity } from '../models/programIdentity.js';
import type { ObservedInput } from '../observed.js';
import { runPreflight, type PreflightOptions, type PreflightResult } from '../audit/preflight.js';
import type { SimulateOptions } from '../simulate.js';
import { readCheckpoint, writeCheckpoint, CHECKPOINT_VERSION, type EpochRecord, type FitState } from './checkpoint.js';
import { family as makeFamily, familyNames, type FamilyName } from './family.js';
import { flowConfig, type FlowOptions } from './flow/options.js';
import { checkClusterOptions, type ClusterOptions } from '../cluster/options.js';
import { ClusterRun } from '../cluster/coordinator.js';
import { fitRun } from '../cluster/runs.js';
import { clusterSamples } from '../cluster/samples.js';
import { estimateObjective, localSamples, naturalPoint, type LossGradientEstimator, type ObjectiveSetup, type SampleRunner } from './objective.js';
import { initialOptimizerState, lrScheduleNames, optimizerNames, optimizerStep, scheduledLr, type LrSchedule, type OptimizerName, type OptimizerOptions } from './optimizer.js';
import { freeParameters } from './parameters.js';
import { Posterior } from './posterior.js';
import type { Prior } from './priors.js';
import { priorDraws } from './random.js';
import { defaultWeight, type LossWeight } from './weight.js';

export type LossName = 'mse' | 'logMse' | 'mmd' | 'energyDistance';
const lossNames: readonly LossName[] = ['mse', 'logMse', 'mmd', 'energyDistance'];

/** What fit() uses where an option is left out (the loss weight is derived from the data instead). */
export const fitDefaults = {
  family: 'full-rank-gaussian' as FamilyName,
  loss: 'mmd' as LossName,
  samplesPerEpoch: 10,
  epochs: 500,
  lr: 1e-2,
} as const;

export interface FitOptions extends Pick<SimulateOptions, 'discrete' | 'backend' | 'devices' | 'dtype' | 'threads' | 'maxBytes'> {
  /** One prior for every free parameter, or priors by name (default: standard normal in the unconstrained space; uniform(0, 1) for unit parameters). */
  prior?: Prior | Record<string, Prior>;
  /** Parameters to calibrate (default all); the others stay at `fixed` or the model's reference values. */
  parameters?: readonly string[];
  fixed?: Record<string, number>;
  /**
   * 'full-rank-gaussian' (default: it keeps the correlations between parameters, without which a
   * mean-field posterior's intervals are too narrow), 'diagonal-gaussian', or 'flow': a normalizing
   * flow of autoregressive rational-quadratic splines (skewed, curved and multimodal posteriors).
   */
  family?: FamilyName;
  /** The flow's shape (family 'flow' only): `layers` 1–16 (default 4), `bins` 2–64 (default 8), `hidden` 1–256 (default 16). */
  flow?: FlowOptions;
  /** A loss name (built on the observed data) or a Loss object (default 'mmd'). */
  loss?: LossName | Loss;
  /**
   * w in E_q[loss] + w · KL. Default: derived from the loss and the data, 1/n for n observed points
   * (2/n for logMse), so that the loss counts like a log-likelihood sum; result.weight says which.
   */
  weight?: number;
  /** Variational samples θ ~ q per epoch (default 10). */
  samplesPerEpoch?: number;
  /** Simulator replicates per sample (default 1). */
  replicatesPerSample?: number;
  epochs?: number;
  lr?: number;
  /**
   * How the learning rate changes over the epochs: 'constant' (default) or 'cosine', which decays
   * it from `lr` to 0 along a half cosine so that the last epochs settle instead of jittering.
   */
  lrSchedule?: LrSchedule;
  optimizer?: OptimizerName;
  weightDecay?: number;
  /** Clip the gradient to this global norm (default: no clipping). */
  clipNorm?: number;
  /** Stop after this many epochs without a new best total loss (default: never). */
  patience?: number;
  /**
   * How d loss / d theta is estimated for each variational sample: 'pathwise' (simulator tangents,
   * default), 'finite-difference' (central differences with common random numbers, step 0.01 in the
   * unconstrained space: 2P + 1 simulations, for chaotic simulators whose tangents explode), or
   * 'score' (score function of q, no simulator derivative at all).
   */
  gradientEstimator?: LossGradientEstimator;
  /** Initial posterior scale in the unconstrained space (default 0.1). */
  initialScale?: number;
  /** Initial mean in natural units (default: the prior median). */
  initialMean?: Record<string, number>;
  seed?: number;
  signal?: AbortSignal;
  onEpoch?: (record: EpochRecord, posterior: Posterior) => void | Promise<void>;
  /** Write the state to `path` every `every` epochs (default 10) and at the end. */
  checkpoint?: { path: string; every?: number };
  /** Continue from a checkpoint written by a fit with the same settings. */
  resume?: string;
  /**
   * Before the first epoch, audit the gradient estimator (gradientEstimator with discrete) at the
   * initial mean against an unbiased reference (see audit()); when its bias is significant, emit a
   * warning (code AGENTGRAD_PREFLIGHT_BIAS) naming the parameter, the bias and the recommended
   * setting. true, or { replicates (default 128), referenceReplicates, significance } (default off).
   */
  preflight?: boolean | PreflightOptions;
  /**
   * Run each epoch's variational samples as tasks on a NATS JetStream cluster of
   * `agentgrad worker` processes: { url: 'nats://host:4222', credentials, tls, ackWait,
   * maxDeliveries, onNotice }. The posterior is bitwise the one this process would compute
   * (on the same backend), whatever the number of workers and the order their results arrive in.
   */
  cluster?: ClusterOptions;
}

export interface FitResult {
  posterior: Posterior;
  /** The loss weight w used, and why (given, or derived from the data). */
  weight: LossWeight;
  history: EpochRecord[];
  /** The state with the lowest total loss seen. */
  best: { epoch: number; loss: number; posterior: Posterior } | null;
  /** True when the signal stopped the fit early; the result holds the state so far. */
  aborted: boolean;
  /** True when `patience` stopped the fit early. */
  stoppedEarly: boolean;
  epochs: number;
  /** The preflight audit, when options.preflight asked for one. */
  preflight?: PreflightResult;
}

// Counts are capped so that a typo cannot start a practically endless run.
const MAX_COUNT = 10_000_000;

function positive(name: string, value: unknown, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const allowed = integer ? `an integer in [1, ${MAX_COUNT}]` : 'a finite number > 0';
  if (typeof value !== 'number') throw invalidType(name, allowed, value);
  if (!(value > 0) || !Number.isFinite(value) || (integer && (!Number.isInteger(value) || value > MAX_COUNT))) throw outOfRange(name, allowed, value);
  return value;
}

function resolveLoss(loss: FitOptions['loss'], observed: ObservedInput): Loss {
  if (loss === undefined || typeof loss === 'string') {
    const name = loss ?? fitDefaults.loss;
    if (!lossNames.includes(name)) throw outOfRange('loss', `one of ${lossNames.map((n) => `'${n}'`).join(', ')} or a Loss object`, name);
    return { mse, logMse, mmd, energyDistance }[name](observed);
  }
  if (!isPlainObject(loss) || typeof loss.evaluate !== 'function') throw invalidType('loss', "a loss name or a Loss object", loss);
  return loss;
}

function freeNames(model: Model, parameters: FitOptions['parameters']): string[] {
  const all = model.parameters.map((p) => p.name);
  if (parameters === undefined) return all;
  if (!Array.isArray(parameters) || parameters.length === 0) throw invalidType('parameters', 'a non-empty array of parameter names', parameters);
  for (const name of parameters) if (!all.includes(name)) throw outOfRange('parameters', `names of parameters of ${model.name} (${all.join(', ')})`, name);
  return [...parameters];
}

/** Where the fit starts, in the unconstrained space: initialMean, else the prior median. */
function initialMeanOf(setup: ObjectiveSetup, options: FitOptions): number[] {
  const mean = setup.params.map((p) => {
    const given = options.initialMean?.[p.name];
    if (given !== undefined) return p.bijector.inverse(given);
    return p.gaussian ? p.gaussian.mean : p.bijector.inverse(medianOf(p.prior));
  });
  if (!mean.every(Number.isFinite)) throw new RangeError('initialMean must lie strictly inside each parameter\'s constraint');
  return mean;
}

function initialState(setup: ObjectiveSetup, mean: number[], options: FitOptions): FitState {
  const scale = positive('initialScale', options.initialScale, 0.1);
  const phi = setup.family.initialPhi(mean, mean.map(() => scale), setup.seed);
  return { epoch: 0, phi: Array.from(phi), optimizer: initialOptimizerState(phi.length), history: [], best: null, epochsWithoutImprovement: 0 };
}

// Prior median from sorted draws (not every prior has closed-form quantiles).
function medianOf(prior: Prior): number {
  return priorDraws(prior, 2001, 0).sort((a, b) => a - b)[1000]!;
}

function identityOf(model: Model, setup: ObjectiveSetup, options: FitOptions): Record<string, unknown> {
  return {
    model: model.name,
    ...(model.program ? { program: programIdentity(model.program) } : {}),
    settings: model.settings,
    parameters: setup.params.map((p) => [p.name, p.prior.kind, p.prior.params]),
    fixed: setup.fixed,
    family: setup.family.name,
    ...(setup.family.configuration ? { flow: setup.family.configuration } : {}),
    loss: setup.loss.name,
    weight: setup.weight,
    samples: setup.samples,
    replicatesPerSample: setup.replicatesPerSample,
    estimator: setup.estimator,
    seed: setup.seed,
    lr: options.lr ?? fitDefaults.lr,
    // A cosine schedule depends on the total number of epochs; a constant one can be resumed with more.
    lrSchedule: options.lrSchedule === 'cosine' ? ['cosine', options.epochs ?? fitDefaults.epochs] : 'constant',
    optimizer: options.optimizer ?? 'adam',
  };
}

/** Calibrates `model` to `observed` and returns a Gaussian variational posterior over its parameters. */
export async function fit(model: Model, observed: ObservedInput, options: FitOptions = {}): Promise<FitResult> {
  if (!isModel(model)) throw invalidType('model', 'a model from agentgrad models.*()', model);
  if (!isPlainObject(options as unknown)) throw invalidType('options', 'an object', options);
  const names = freeNames(model, options.parameters);
  const fixed = { ...model.reference, ...(options.fixed ?? {}) };
  for (const name of names) delete fixed[name];
  const familyName = options.family ?? fitDefaults.family;
  if (!familyNames.includes(familyName)) throw outOfRange('family', `one of ${familyNames.map((n) => `'${n}'`).join(', ')}`, familyName);
  const optimizerName = options.optimizer ?? 'adam';
  if (!optimizerNames.includes(optimizerName)) throw outOfRange('optimizer', "'adam' or 'adamw'", optimizerName);
  const estimator = options.gradientEstimator ?? 'pathwise';
  if (estimator !== 'pathwise' && estimator !== 'finite-difference' && estimator !== 'score') {
    throw outOfRange('gradientEstimator', "'pathwise', 'finite-difference' or 'score'", estimator);
  }
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw outOfRange('seed', 'an integer in [0, 2^53 - 1]', seed);
  if (options.flow !== undefined && familyName !== 'flow') throw new TypeError(`flow options apply to family 'flow' only; family is '${familyName}'`);
  const flow = familyName === 'flow' ? flowConfig(options.flow) : undefined;

  const loss = resolveLoss(options.loss, observed);
  const weight: LossWeight = options.weight === undefined
    ? defaultWeight(loss)
    : { value: positive('weight', options.weight, 1), reason: 'given' };
  const setup: ObjectiveSetup = {
    model,
    family: makeFamily(familyName, names.length, flow),
    params: freeParameters(model, names, options.prior),
    fixed,
    loss,
    weight: weight.value,
    samples: positive('samplesPerEpoch', options.samplesPerEpoch, fitDefaults.samplesPerEpoch, true),
    replicatesPerSample: positive('replicatesPerSample', options.replicatesPerSample, 1, true),
    estimator,
    seed,
    simulation: { discrete: options.discrete, backend: options.backend, devices: options.devices, dtype: options.dtype, threads: options.threads, maxBytes: options.maxBytes },
  };
  const epochs = positive('epochs', options.epochs, fitDefaults.epochs, true);
  const optimizer: OptimizerOptions = {
    name: optimizerName,
    lr: positive('lr', options.lr, fitDefaults.lr),
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    weightDecay: options.weightDecay === undefined ? 1e-2 : options.weightDecay,
    clipNorm: options.clipNorm === undefined ? Infinity : positive('clipNorm', options.clipNorm, Infinity),
  };
  const schedule = options.lrSchedule ?? 'constant';
  if (!lrScheduleNames.includes(schedule)) throw outOfRange('lrSchedule', "'constant' or 'cosine'", schedule);
  const patience = options.patience === undefined ? Infinity : positive('patience', options.patience, Infinity, true);
  const every = positive('checkpoint.every', options.checkpoint?.every, 10, true);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw invalidType('signal', 'an AbortSignal', options.signal);
  if (options.onEpoch !== undefined && typeof options.onEpoch !== 'function') throw invalidType('onEpoch', 'a function', options.onEpoch);
  const identity = identityOf(model, setup, options);
  const cluster = options.cluster === undefined ? undefined : checkClusterOptions(options.cluster);
  const description = cluster ? fitRun(setup) : undefined;

  const startMean = initialMeanOf(setup, options);
  let state = initialState(setup, startMean, options);
  if (options.resume !== undefined) {
    const file = readCheckpoint(options.resume);
    if (JSON.stringify(file.identity) !== JSON.stringify(identity)) {
      throw new Error(`checkpoint '${options.resume}' belongs to a fit with other settings (model, parameters, priors, loss, seed, ...); it was not used`);
    }
    state = file.state;
  }
  const posteriorOf = (phi: ArrayLike<number>) => new Posterior(setup.family, setup.params, Float64Array.from(phi), fixed);
  const save = () => options.checkpoint && writeCheckpoint(options.checkpoint.path, { version: CHECKPOINT_VERSION, identity, state });

  const preflight = await runPreflight(setup, options.preflight, naturalPoint(setup, startMean), options.signal);
  const clusterRun = cluster && description ? await ClusterRun.open(cluster, description) : undefined;
  try {
    return await optimise(clusterRun ? clusterSamples(clusterRun, setup.params.length) : localSamples(setup));
  } finally {
    await clusterRun?.close();
  }

  async function optimise(runSamples: SampleRunner): Promise<FitResult> {
    let aborted = false;
    let stoppedEarly = false;
    const phi = Float64Array.from(state.phi);
    while (state.epoch < epochs) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      const start = performance.now();
      let estimate;
      try {
        estimate = await estimateObjective(setup, phi, state.epoch, options.signal, runSamples);
      } catch (error) {
        if ((error as Error).name === 'AbortError') {
          aborted = true;
          break;
        }
        throw error;
      }
      const loss = estimate.total;
      const phiBefore = Array.from(phi);
      const lr = scheduledLr(schedule, optimizer.lr, state.epoch, epochs);
      const gradientNorm = optimizerStep(phi, estimate.gradient, state.optimizer, { ...optimizer, lr });
      const record: EpochRecord = {
        epoch: state.epoch,
        loss,
        expectedLoss: estimate.expectedLoss,
        kl: estimate.kl,
        gradientNorm,
        droppedSamples: estimate.droppedSamples,
        seconds: (performance.now() - start) / 1000,
      };
      if (state.best === null || loss < state.best.loss) {
        state.best = { epoch: state.epoch, loss, phi: phiBefore };
        state.epochsWithoutImprovement = 0;
      } else {
        state.epochsWithoutImprovement += 1;
      }
      state.history.push(record);
      state.epoch += 1;
      state.phi = Array.from(phi);
      if (state.epoch % every === 0) save();
      if (options.onEpoch) await options.onEpoch(record, posteriorOf(phi));
      if (state.epochsWithoutImprovement >= patience) {
        stoppedEarly = true;
        break;
      }
    }
    save();
    return {
      posterior: posteriorOf(state.phi),
      weight,
      history: state.history,
      best: state.best && { epoch: state.best.epoch, loss: state.best.loss, posterior: posteriorOf(state.best.phi) },
      aborted,
      stoppedEarly,
      epochs: state.epoch,
      ...(preflight ? { preflight } : {}),
    };
  }
}
