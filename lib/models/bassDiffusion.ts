import { configureModel, type Model } from './model.js';

export interface BassDiffusionOptions {
  /** Potential adopters N (default 1000). */
  agents?: number;
  /** Time steps T (default 30). */
  steps?: number;
}

/**
 * Bass diffusion (the worked example of docs/adding-a-model.md): each agent that has not adopted
 * adopts with probability 1 - exp(-(p + q F)), F the adopted fraction. Output `adopted` (F, with
 * F(0) = 0). Parameters p (innovation) and q (imitation), positive; reference (0.03, 0.38).
 */
export function bassDiffusion(options?: BassDiffusionOptions): Model {
  return configureModel('bassDiffusion', options);
}
