// How to build a built-in loss again in another process (a cluster worker): its kind, the observed
// data and its options. Every built-in loss carries its recipe; a custom Loss has none.
import { isPlainObject } from '../errors.js';
import { toObserved, type ObservedInput } from '../observed.js';
import { energyDistance } from './energyDistance.js';
import type { Loss } from './loss.js';
import { mmd } from './mmd.js';
import { logMse, mse } from './mse.js';

export type LossKind = 'mse' | 'logMse' | 'mmd' | 'energyDistance';

export interface LossRecipe {
  kind: LossKind;
  /** The observed data, row-major [rows][outputs]. */
  data: Float64Array;
  outputs: number;
  /** The factory's options (bandwidth, lags). */
  options: { bandwidth?: number | number[]; lags?: number };
}

const factories: Record<LossKind, (observed: number[][], options: LossRecipe['options']) => Loss> = {
  mse: (observed) => mse(observed),
  logMse: (observed) => logMse(observed),
  mmd: (observed, options) => mmd(observed, options),
  energyDistance: (observed, options) => energyDistance(observed, options),
};

export function withRecipe(loss: Loss, kind: LossKind, observedInput: ObservedInput, options: { bandwidth?: number | readonly number[]; lags?: number } = {}): Loss {
  const { data, outputs } = toObserved(observedInput);
  const kept: LossRecipe['options'] = {};
  if (options.bandwidth !== undefined) kept.bandwidth = typeof options.bandwidth === 'number' ? options.bandwidth : [...options.bandwidth];
  if (options.lags !== undefined) kept.lags = options.lags;
  return { ...loss, recipe: { kind, data, outputs, options: kept } };
}

/** The loss a recipe describes; a recipe from another process is checked like user input. */
export function lossFromRecipe(recipe: unknown): Loss {
  if (!isPlainObject(recipe) || typeof recipe['kind'] !== 'string' || !(recipe['kind'] in factories)) {
    throw new TypeError(`a loss recipe must name one of ${Object.keys(factories).join(', ')}`);
  }
  const { data, outputs, options } = recipe as unknown as LossRecipe;
  if (!(data instanceof Float64Array) || !Number.isInteger(outputs) || outputs < 1 || data.length % outputs !== 0) {
    throw new TypeError('a loss recipe must hold its observed data as a Float64Array of whole rows');
  }
  if (!isPlainObject(options)) throw new TypeError('a loss recipe must hold its options as an object');
  const rows = Array.from({ length: data.length / outputs }, (_, i) => Array.from(data.subarray(i * outputs, (i + 1) * outputs)));
  return factories[recipe['kind'] as LossKind](rows, options);
}
