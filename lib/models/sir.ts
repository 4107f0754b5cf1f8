import { configureModel, type Model } from './model.js';

export interface SirOptions {
  /** Population N (default 10,000). */
  agents?: number;
  /** Days T (default 60). */
  steps?: number;
  /** Length of a step in days (default 1). */
  dt?: number;
}

/**
 * Mean-field agent SIR: initial infection ~ Bernoulli(I0); each step a susceptible agent is
 * infected with probability 1 - exp(-beta I/N dt) and an infected one recovers with
 * 1 - exp(-gamma dt). Outputs `newInfections` and `newRecoveries`, fractions of N per step (row 0:
 * the initial infections). Parameters beta, gamma (positive), I0 (unit); reference (0.2, 0.05, 0.01).
 */
export function sir(options?: SirOptions): Model {
  return configureModel('sir', options);
}
