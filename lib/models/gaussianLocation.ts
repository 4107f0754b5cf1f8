import { configureModel, type Model } from './model.js';

export interface GaussianLocationOptions {
  /** Draws averaged per step (default 1). */
  agents?: number;
  /** Steps T (default 20). */
  steps?: number;
}

/**
 * Gaussian location model: x_t = mu + sigma z_t, z_t ~ N(0, 1) independently each step (averaged
 * over agents). Parameters mu (real, reference 0) and sigma (positive, reference 1). With the MSE
 * loss and a normal prior on mu, the generalised posterior of mu is Gaussian in closed form.
 */
export function gaussianLocation(options?: GaussianLocationOptions): Model {
  return configureModel('gaussianLocation', options);
}
