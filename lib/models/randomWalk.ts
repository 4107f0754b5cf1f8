import { configureModel, type Model } from './model.js';

export interface RandomWalkOptions {
  /** Independent walkers per replicate (default 1000). */
  agents?: number;
  /** Time steps T (default 100). */
  steps?: number;
}

/**
 * Random walk: each agent starts at 0 and steps +1 with probability p, else -1. Output `x` is the
 * mean position over agents, so E[x(T)] = T(2p - 1) and dE[x(T)]/dp = 2T. Parameter: p (unit).
 */
export function randomWalk(options?: RandomWalkOptions): Model {
  return configureModel('randomWalk', options);
}
