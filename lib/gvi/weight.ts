// The default loss weight w of E_q[loss] + w · KL(q ‖ prior). The generalised posterior is
// ∝ exp(−loss / w) · prior, so w sets how many observations the loss counts for: w = 1 lets a loss
// that averages n terms speak with the voice of one observation, and the prior wins. w = 1/n makes
// the loss count like a log-likelihood summed over its n observations.
import { invalidType, outOfRange } from '../errors.js';
import type { Loss } from '../losses/loss.js';

export interface LossWeight {
  value: number;
  /** Why this weight: given by the caller, or the rule that derived it. */
  reason: string;
}

function observationsOf(loss: Loss): number | undefined {
  const n = loss.observations;
  if (n === undefined) return undefined;
  if (typeof n !== 'number') throw invalidType('loss.observations', 'an integer >= 1', n);
  if (!Number.isInteger(n) || n < 1) throw outOfRange('loss.observations', 'an integer >= 1', n);
  return n;
}

/** The weight fit() uses when none is given, derived from the loss and the number of observations. */
export function defaultWeight(loss: Loss): LossWeight {
  const n = observationsOf(loss);
  if (n === undefined) {
    return { value: 1, reason: `w = 1: the loss '${loss.name}' does not say how many observations it averages (set loss.observations to get w = 1/n)` };
  }
  if (loss.name === 'logMse') {
    // n/2 · log(mean squared residual) is the Gaussian log-likelihood with its variance profiled out.
    return { value: 2 / n, reason: `w = 2/n = 2/${n}: logMse then counts as the Gaussian log-likelihood of ${n} residuals with their variance profiled out` };
  }
  if (loss.name === 'mse') {
    return { value: 1 / n, reason: `w = 1/n = 1/${n}: mse then counts as the log-likelihood of ${n} residuals with noise variance ½ (pass weight 2σ²/n for noise variance σ²)` };
  }
  return { value: 1 / n, reason: `w = 1/n = 1/${n}: ${loss.name} then counts like a log-likelihood summed over ${n} observed points` };
}
