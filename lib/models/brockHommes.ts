import { configureModel, type Model } from './model.js';

export interface BrockHommesOptions {
  /** Time steps T (default 100). */
  steps?: number;
}

/**
 * Brock–Hommes asset pricing with four trader types: type j forecasts g_j x(t-1) + b_j, the types'
 * shares are a softmax (intensity beta) of past performance, and
 * x(t) = (sum_j share_j (g_j x(t-1) + b_j) + sigma eps_t) / R, eps_t ~ N(0, 1). Output `x`
 * (x(0) = 0). Parameters beta, R, sigma (positive), g1..g4, b1..b4 (real); reference beta 120,
 * R 1.01, sigma 0.04, g (0, 0.9, 0.9, 1.01), b (0, 0.2, -0.2, 0). The noise is continuous, so
 * pathwise gradients are exact.
 */
export function brockHommes(options?: BrockHommesOptions): Model {
  return configureModel('brockHommes', options);
}
