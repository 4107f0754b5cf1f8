// Checks the options of audit() and fills in their defaults; every error names the option and what
// it may be.
import { invalidType, isPlainObject, outOfRange } from '../errors.js';
import type { Estimator } from '../gradient.js';
import type { Loss } from '../losses/loss.js';
import { isModel, type Model } from '../models/model.js';
import type { BackendChoice, Dtype } from '../native.js';
import { thetaVector } from '../simulate.js';
import { auditEstimators, auditPathwiseModes, candidateSettings, normaliseSetting, settingLabel } from './settings.js';
import type { AuditPathwiseMode, AuditProgress, AuditSetting } from './types.js';

export const defaultReplicates = 256;
export const defaultTaus: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1];
export const defaultSignificance = 3;
const MAX_REPLICATES = 10_000_000;
const MAX_TAUS = 32;

export interface ResolvedAuditOptions {
  loss: Loss;
  parameters: string[];
  replicates: number;
  /** The settings to consider, in order; `explicit` when the caller listed them (no probe, no skipping). */
  settings: AuditSetting[];
  explicit: boolean;
  reference: { estimator: 'finite-difference' | 'score'; replicates: number };
  significance: number;
  step: number | undefined;
  sharpness: number | undefined;
  seed: number;
  dtype: Dtype;
  backend: BackendChoice | undefined;
  threads: number | undefined;
  signal: AbortSignal | undefined;
  onProgress: ((progress: AuditProgress) => void) | undefined;
}

function count(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const allowed = `an integer in [2, ${MAX_REPLICATES}]`;
  if (typeof value !== 'number') throw invalidType(name, allowed, value);
  if (!Number.isInteger(value) || value < 2 || value > MAX_REPLICATES) throw outOfRange(name, allowed, value);
  return value;
}

function positiveNumber(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw invalidType(name, 'a finite number > 0', value);
  if (!(value > 0) || !Number.isFinite(value)) throw outOfRange(name, 'a finite number > 0', value);
  return value;
}

/** A non-empty array of distinct members of `allowed`. */
function subset<T extends string>(name: string, value: unknown, allowed: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  const description = `a non-empty array of ${allowed.map((a) => `'${a}'`).join(', ')}`;
  if (!Array.isArray(value) || value.length === 0) throw invalidType(name, description, value);
  for (const item of value) if (!allowed.includes(item as T)) throw outOfRange(name, description, item);
  if (new Set(value).size !== value.length) throw new RangeError(`${name} must not name a value twice`);
  return value as T[];
}

function checkTaus(value: unknown): number[] {
  if (value === undefined) return [...defaultTaus];
  const description = `a non-empty array of at most ${MAX_TAUS} distinct finite numbers > 0`;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_TAUS) throw invalidType('taus', description, value);
  for (const tau of value) {
    if (typeof tau !== 'number') throw invalidType('taus', description, tau);
    if (!(tau > 0) || !Number.isFinite(tau)) throw outOfRange('taus', description, tau);
  }
  if (new Set(value).size !== value.length) throw new RangeError('taus must not hold a temperature twice');
  return [...(value as number[])];
}

function checkParameters(model: Model, value: unknown): string[] {
  const names = model.parameters.map((p) => p.name);
  if (value === undefined) return names;
  const description = `a non-empty array of names of parameters of ${model.name} (${names.join(', ')})`;
  if (!Array.isArray(value) || value.length === 0) throw invalidType('parameters', description, value);
  for (const name of value) if (!names.includes(name as string)) throw outOfRange('parameters', description, name);
  if (new Set(value).size !== value.length) throw new RangeError('parameters must not name a parameter twice');
  return [...(value as string[])];
}

function checkSettings(value: unknown): AuditSetting[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidType('settings', 'a non-empty array of { estimator, mode?, tau? }', value);
  const settings = value.map((s, i) => normaliseSetting(s, `settings[${i}]`));
  const labels = settings.map(settingLabel);
  const twice = labels.find((label, i) => labels.indexOf(label) !== i);
  if (twice !== undefined) throw new RangeError(`settings must not list the same setting twice ('${twice}')`);
  return settings;
}

function checkReference(value: unknown, replicates: number): ResolvedAuditOptions['reference'] {
  if (value !== undefined && !isPlainObject(value)) throw invalidType('reference', 'an object { estimator?, replicates? }', value);
  const estimator = value?.['estimator'] ?? 'finite-difference';
  if (estimator !== 'finite-difference' && estimator !== 'score') throw outOfRange('reference.estimator', "'finite-difference' or 'score'", estimator);
  return { estimator, replicates: count('reference.replicates', value?.['replicates'], 4 * replicates) };
}

export function resolveAuditOptions(model: unknown, theta: unknown, options: unknown): ResolvedAuditOptions {
  if (!isModel(model)) throw invalidType('model', 'a model from agentgrad models.*() or defineModel', model);
  thetaVector(model, theta);
  if (!isPlainObject(options)) throw invalidType('options', 'an object with at least { loss }', options);
  const loss = options['loss'];
  if (!isPlainObject(loss) || typeof loss['evaluate'] !== 'function') {
    throw invalidType('loss', 'a loss from agentgrad losses.*() or an object { name, evaluate(simulated, shape) }', loss);
  }
  const replicates = count('replicates', options['replicates'], defaultReplicates);
  const taus = checkTaus(options['taus']);
  const estimators = subset<Estimator>('estimators', options['estimators'], auditEstimators);
  const modes = subset<AuditPathwiseMode>('modes', options['modes'], auditPathwiseModes);
  const given = options['settings'];
  if (given !== undefined && (options['estimators'] !== undefined || options['modes'] !== undefined || options['taus'] !== undefined)) {
    throw new TypeError('settings lists the settings itself: leave out estimators, modes and taus');
  }
  const settings = given === undefined ? candidateSettings(estimators ?? auditEstimators, modes ?? auditPathwiseModes, taus) : checkSettings(given);
  if (settings.length === 0) throw new RangeError('estimators and modes leave no setting to audit');
  const significance = positiveNumber('significance', options['significance']) ?? defaultSignificance;
  const seed = options['seed'] ?? 0;
  if (typeof seed !== 'number') throw invalidType('seed', 'an integer in [0, 2^53 - 1]', seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw outOfRange('seed', 'an integer in [0, 2^53 - 1]', seed);
  const dtype = options['dtype'] ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw outOfRange('dtype', "'float32' or 'float64'", dtype);
  const backend = options['backend'];
  if (backend !== undefined && backend !== 'auto' && backend !== 'cpu' && backend !== 'cuda') throw outOfRange('backend', "'auto', 'cpu' or 'cuda'", backend);
  const threads = options['threads'];
  if (threads !== undefined) {
    if (typeof threads !== 'number') throw invalidType('threads', 'an integer >= 0 (0: all cores)', threads);
    if (!Number.isInteger(threads) || threads < 0) throw outOfRange('threads', 'an integer >= 0 (0: all cores)', threads);
  }
  const signal = options['signal'];
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidType('signal', 'an AbortSignal', signal);
  const onProgress = options['onProgress'];
  if (onProgress !== undefined && typeof onProgress !== 'function') throw invalidType('onProgress', 'a function', onProgress);
  return {
    loss: loss as unknown as Loss,
    parameters: checkParameters(model, options['parameters']),
    replicates,
    settings,
    explicit: given !== undefined,
    reference: checkReference(options['reference'], replicates),
    significance,
    step: positiveNumber('step', options['step']),
    sharpness: positiveNumber('sharpness', options['sharpness']),
    seed,
    dtype,
    backend: backend as BackendChoice | undefined,
    threads: threads as number | undefined,
    signal: signal as AbortSignal | undefined,
    onProgress: onProgress as ResolvedAuditOptions['onProgress'],
  };
}
