import { configureModel, type Model } from './model.js';

export interface VolatilityOptions {
  /** Traders N (default 1000). */
  agents?: number;
  /** Time steps T (default 100). */
  steps?: number;
  /** Probability s that a trader resets its threshold to |r_t| each step (default 0.1). */
  resetProbability?: number;
}

/**
 * Volatility clustering (Cont 2007): traders act when a common N(0, sigmaEps^2) signal crosses
 * their thresholds (initially LogNormal(muLN, sigmaLN)); the return is r_t = sum of orders / (N eta);
 * thresholds reset to |r_t| with probability s. Output `r`, length T + 1 with r(0) = 0.
 * Parameters muLN, sigmaLN, sigmaEps, eta (all positive); reference (1, 0.5, 1, 0.7).
 */
export function volatility(options?: VolatilityOptions): Model {
  return configureModel('volatility', options);
}
