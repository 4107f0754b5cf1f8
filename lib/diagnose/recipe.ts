// What one diagnose fit needs, in a form that crosses to a worker thread (structured clone): the
// model, priors as (kind, params), and the fit options under test without functions.
import { invalidType, isPlainObject, outOfRange } from '../errors.js';
import type { FitOptions, LossName } from '../gvi/fit.js';
import { freeParameters } from '../gvi/parameters.js';
import * as priors from '../gvi/priors.js';
import type { Prior } from '../gvi/priors.js';
import type { Loss } from '../losses/loss.js';
import type { Model } from '../models/model.js';

/** The fit options under test: everything fit() takes except what diagnose sets per simulation. */
export type DiagnoseFitOptions = Omit<FitOptions, 'prior' | 'parameters' | 'fixed' | 'seed' | 'signal' | 'onEpoch' | 'checkpoint' | 'resume' | 'loss'> & {
  /** A loss name, or a function that builds the loss from each simulated data set (runs the fits in this thread). */
  loss?: LossName | ((observed: number[][]) => Loss);
};

export interface PriorSpec {
  kind: Prior['kind'];
  params: number[];
}

export interface Recipe {
  model: Model;
  /** The free parameters, in order, with their priors. */
  parameters: Array<{ name: string; prior: PriorSpec }>;
  /** Values of the other parameters. */
  fixed: Record<string, number>;
  /** Fit options that cross to a worker (no loss function). */
  fit: Omit<DiagnoseFitOptions, 'loss'> & { loss?: LossName };
  seed: number;
  /** Posterior draws per fit for the ranks. */
  draws: number;
}

const forbidden = ['prior', 'parameters', 'fixed', 'seed', 'signal', 'onEpoch', 'checkpoint', 'resume'] as const;

export function checkFitOptions(fit: unknown): DiagnoseFitOptions {
  if (fit === undefined) return {};
  if (!isPlainObject(fit)) throw invalidType('fit', 'an object of fit options', fit);
  for (const key of forbidden) {
    if (fit[key] !== undefined) {
      const where = key === 'prior' || key === 'parameters' || key === 'fixed' || key === 'seed' || key === 'signal' ? `diagnose's own ${key} option` : 'nothing: diagnose runs many fits';
      throw new TypeError(`fit.${key} is not allowed in diagnose (use ${where})`);
    }
  }
  const loss = fit['loss'];
  if (loss !== undefined && typeof loss !== 'string' && typeof loss !== 'function') {
    throw invalidType('fit.loss', "a loss name or a function (observed) => Loss", loss);
  }
  return fit as DiagnoseFitOptions;
}

export function priorSpec(prior: Prior): PriorSpec {
  return { kind: prior.kind, params: [...prior.params] };
}

export function priorFrom(spec: PriorSpec): Prior {
  const make = priors[spec.kind] as (...params: number[]) => Prior;
  return make(...spec.params);
}

/** The free parameters and their priors, resolved as fit() resolves them. */
export function resolveParameters(model: Model, names: readonly string[] | undefined, prior: unknown): Recipe['parameters'] {
  const all = model.parameters.map((p) => p.name);
  if (names !== undefined) {
    if (!Array.isArray(names) || names.length === 0) throw invalidType('parameters', 'a non-empty array of parameter names', names);
    for (const name of names) if (!all.includes(name)) throw outOfRange('parameters', `names of parameters of ${model.name} (${all.join(', ')})`, name);
  }
  return freeParameters(model, names ?? all, prior).map((p) => ({ name: p.name, prior: priorSpec(p.prior) }));
}


