// The cluster's wire protocol: subjects, streams and the task and result messages, each checked
// field by field when it arrives (a message that is not a valid task is rejected, never executed).
import { createHash } from 'node:crypto';

import { isPlainObject } from '../errors.js';
import { agentgradVersion } from '../version.js';
import { encodeMessage } from './codec.js';

/** Bumped whenever a message changes shape; a worker refuses tasks of another protocol. */
export const PROTOCOL = 1;

export const streams = {
  /** Work queue: each task is delivered to one worker at a time and removed when acknowledged. */
  tasks: 'AGENTGRAD_TASKS',
  /** The description of each run (model, loss, data), one message per run, read by workers. */
  runs: 'AGENTGRAD_RUNS',
  /** Results, kept for a week: a restarted coordinator finds the results of its run here. */
  results: 'AGENTGRAD_RESULTS',
} as const;

export const WORKER_CONSUMER = 'agentgrad-workers';

export const subjects = {
  tasks: (run: string) => `agentgrad.tasks.${run}`,
  run: (run: string) => `agentgrad.runs.${run}`,
  results: (run: string) => `agentgrad.results.${run}.>`,
  result: (run: string, key: TaskKey) => `agentgrad.results.${run}.${keyText(key)}`,
  notices: (run: string) => `agentgrad.notices.${run}`,
  maxDeliveries: `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.AGENTGRAD_TASKS.${WORKER_CONSUMER}`,
};

/** A task's place: sample `index` of `epoch` of a fit, or fit `index` of a diagnose run (epoch -1). */
export interface TaskKey {
  epoch: number;
  index: number;
}

export function keyText(key: TaskKey): string {
  return key.epoch < 0 ? `fit-${key.index}` : `${key.epoch}.${key.index}`;
}

export function describeKey(key: TaskKey): string {
  return key.epoch < 0 ? `diagnose fit ${key.index}` : `sample ${key.index} of epoch ${key.epoch}`;
}

export interface Task extends TaskKey {
  protocol: number;
  /** agentgrad version of the coordinator. */
  version: string;
  run: string;
  /** Digest of the model program (defineModel), or null for a built-in model. */
  program: string | null;
  /** The sample's point in the unconstrained space (fit tasks). */
  u: Float64Array | null;
}

export interface SuccessResult extends TaskKey {
  ok: true;
  run: string;
  /** Digest of the task the result answers: results of another trajectory under the same key are ignored. */
  task: string;
  worker: string;
  /** Fit task: the sample's statistic ([loss, gradient...], or null); diagnose task: the fit's outcome. */
  value: unknown;
}

export interface FailureResult extends TaskKey {
  ok: false;
  run: string;
  task: string;
  worker: string;
  error: string;
  deliveries: number;
}

export type Result = SuccessResult | FailureResult;

export function taskDigest(task: Task): string {
  return createHash('sha256').update(encodeMessage(task)).digest('hex').slice(0, 32);
}

/** A run is named by the digest of its description, so every process derives the same name. */
export function runName(descriptionBytes: Uint8Array): string {
  return createHash('sha256').update(descriptionBytes).digest('hex').slice(0, 32);
}

export function newTask(run: string, program: string | null, key: TaskKey, u: Float64Array | null): Task {
  return { protocol: PROTOCOL, version: agentgradVersion, run, program, epoch: key.epoch, index: key.index, u };
}

const isCount = (x: unknown, min: number) => typeof x === 'number' && Number.isSafeInteger(x) && x >= min;
const isDigest = (x: unknown) => typeof x === 'string' && /^[0-9a-f]{32,64}$/.test(x);

/** The task a decoded message holds; throws a TypeError saying which field is wrong. */
export function checkTask(message: unknown): Task {
  if (!isPlainObject(message)) throw new TypeError('a task must be a JSON object');
  const fail = (field: string, allowed: string) => {
    throw new TypeError(`task.${field} must be ${allowed}`);
  };
  if (!isCount(message['protocol'], 1)) fail('protocol', 'an integer >= 1');
  if (typeof message['version'] !== 'string' || message['version'].length > 64) fail('version', 'a version string');
  if (!isDigest(message['run'])) fail('run', 'a hexadecimal run name');
  if (message['program'] !== null && !isDigest(message['program'])) fail('program', 'a hexadecimal digest or null');
  if (!isCount(message['epoch'], -1)) fail('epoch', 'an integer >= -1');
  if (!isCount(message['index'], 0)) fail('index', 'an integer >= 0');
  const u = message['u'];
  if (u !== null && !(u instanceof Float64Array && u.length >= 1 && u.length <= 4096 && u.every(Number.isFinite))) {
    fail('u', 'null or a Float64Array of finite numbers');
  }
  if ((message['epoch'] === -1) !== (u === null)) fail('u', 'given exactly for fit samples (epoch >= 0)');
  return message as unknown as Task;
}

/** The result a decoded message holds, or undefined when it is not one (it is then ignored). */
export function asResult(message: unknown): Result | undefined {
  if (!isPlainObject(message) || typeof message['ok'] !== 'boolean' || !isDigest(message['run']) || !isDigest(message['task'])) return undefined;
  if (!isCount(message['epoch'], -1) || !isCount(message['index'], 0) || typeof message['worker'] !== 'string') return undefined;
  if (message['ok'] === false && (typeof message['error'] !== 'string' || !isCount(message['deliveries'], 0))) return undefined;
  return message as unknown as Result;
}
