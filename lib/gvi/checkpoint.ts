// Fit checkpoints: the whole optimisation state as JSON, written atomically (temporary file, fsync,
// rename) so a crash never leaves a truncated file in place of a good one.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

import type { OptimizerState } from './optimizer.js';

export const CHECKPOINT_VERSION = 1;

export interface EpochRecord {
  epoch: number;
  /** Total objective: expected loss + weight · KL. */
  loss: number;
  expectedLoss: number;
  kl: number;
  gradientNorm: number;
  droppedSamples: number;
  seconds: number;
}

export interface FitState {
  /** Epochs completed. */
  epoch: number;
  phi: number[];
  optimizer: OptimizerState;
  history: EpochRecord[];
  best: { epoch: number; loss: number; phi: number[] } | null;
  epochsWithoutImprovement: number;
}

export interface CheckpointFile {
  version: number;
  /** What the state belongs to; a resume with different settings is refused. */
  identity: Record<string, unknown>;
  state: FitState;
}

export function writeCheckpoint(path: string, file: CheckpointFile): void {
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, JSON.stringify(file));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

function isFitState(x: unknown): x is FitState {
  const s = x as FitState;
  return typeof s === 'object' && s !== null && Number.isInteger(s.epoch) && Array.isArray(s.phi) && Array.isArray(s.history) &&
    typeof s.optimizer === 'object' && s.optimizer !== null && Array.isArray(s.optimizer.m) && Array.isArray(s.optimizer.v) &&
    s.phi.every(Number.isFinite);
}

export function readCheckpoint(path: string): CheckpointFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new Error(`cannot read checkpoint '${path}': ${(cause as Error).message}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`checkpoint '${path}' is corrupt or truncated (not valid JSON); it was not used`);
  }
  const file = parsed as CheckpointFile;
  if (typeof file !== 'object' || file === null || file.version !== CHECKPOINT_VERSION || !isFitState(file.state)) {
    throw new Error(`checkpoint '${path}' is not an agentgrad fit checkpoint of version ${CHECKPOINT_VERSION}; it was not used`);
  }
  return file;
}
