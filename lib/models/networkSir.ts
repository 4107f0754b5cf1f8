import type { Graph } from '../graphs/index.js';
import { configureModel, type Model } from './model.js';

export interface NetworkSirOptions {
  /**
   * Contacts as CSR ({ nodes, offsets, neighbours }, e.g. from graphs.wattsStrogatz or
   * graphs.fromEdgeList). Default: a Watts–Strogatz small world over `agents` nodes (k = 10,
   * rewiring 0.1, seed 0; a complete graph below 12 nodes).
   */
  graph?: Graph;
  /** Agents when no graph is given (default 1000); with a graph, its node count. */
  agents?: number;
  /** Days T (default 60). */
  steps?: number;
}

/**
 * SIR on a contact graph: a susceptible agent with m infected neighbours is infected with
 * probability 1 - (1 - beta)^m; an infected agent recovers with 1 - exp(-gamma). Outputs `infected`
 * and `recovered` counts (row 0: after the initial Bernoulli(I0) infections). Parameters beta
 * (unit, per contact and day), gamma (positive), I0 (unit); reference (0.02, 0.05, 0.01).
 */
export function networkSir(options?: NetworkSirOptions): Model {
  return configureModel('networkSir', options);
}
