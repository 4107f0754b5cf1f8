// The free parameters of a fit: each with its prior, its bijector to the unconstrained space and,
// where the prior is Gaussian there, the moments for an exact KL.
import { invalidType, isPlainObject } from '../errors.js';
import type { Model, ParameterInfo } from '../models/model.js';
import { bijectorFor, intervalBijector, type Bijector } from './bijectors.js';
import { logNormal, normal, uniform, type Prior } from './priors.js';

export interface FreeParameter {
  name: string;
  constraint: ParameterInfo['constraint'];
  prior: Prior;
  bijector: Bijector;
  /** Prior moments in the unconstrained space when it is Gaussian there. */
  gaussian: { mean: number; sd: number } | undefined;
}

/** Standard normal in the unconstrained space where one exists; uniform on [0, 1] for unit parameters. */
export function defaultPrior(constraint: ParameterInfo['constraint']): Prior {
  return constraint === 'positive' ? logNormal(0, 1) : constraint === 'unit' ? uniform(0, 1) : normal(0, 1);
}

function isPrior(value: unknown): value is Prior {
  return isPlainObject(value) && typeof value['logDensity'] === 'function' && typeof value['sample'] === 'function';
}

function compatibleBijector(p: ParameterInfo, prior: Prior): Bijector {
  const [low, high] = prior.params as [number, number];
  if (prior.support === 'interval') {
    const inside = p.constraint === 'real' || (p.constraint === 'positive' && low >= 0) || (p.constraint === 'unit' && low >= 0 && high <= 1);
    if (!inside) throw new RangeError(`prior.${p.name}: uniform(${low}, ${high}) reaches outside ${p.name}'s constraint '${p.constraint}'`);
    return intervalBijector(low, high);
  }
  if (prior.support !== p.constraint) {
    const fits = { real: 'normal or uniform', positive: 'logNormal, halfNormal or uniform', unit: 'beta or uniform' }[p.constraint];
    throw new RangeError(`prior.${p.name}: a ${prior.kind} prior does not match ${p.name}'s constraint '${p.constraint}'; use ${fits}`);
  }
  return bijectorFor(p.constraint);
}

export function freeParameters(model: Model, names: readonly string[], prior: unknown): FreeParameter[] {
  if (prior !== undefined && !isPrior(prior) && !isPlainObject(prior)) {
    throw invalidType('prior', 'a prior from agentgrad priors.*() or an object of them by parameter name', prior);
  }
  if (isPlainObject(prior) && !isPrior(prior)) {
    for (const key of Object.keys(prior)) {
      if (!names.includes(key)) throw new TypeError(`prior.${key} is not a free parameter; free parameters are ${names.join(', ')}`);
    }
  }
  return names.map((name) => {
    const info = model.parameters.find((p) => p.name === name)!;
    const given = isPrior(prior) ? prior : isPlainObject(prior) ? prior[name] : undefined;
    if (given !== undefined && !isPrior(given)) throw invalidType(`prior.${name}`, 'a prior from agentgrad priors.*()', given);
    const chosen = given ?? defaultPrior(info.constraint);
    const bijector = compatibleBijector(info, chosen);
    return { name, constraint: info.constraint, prior: chosen, bijector, gaussian: chosen.gaussianIn(info.constraint) };
  });
}

/** log π_u(u) = log π(T(u)) + log|T'(u)| summed over parameters, and its gradient in u. */
export function unconstrainedLogPrior(params: FreeParameter[], u: ArrayLike<number>): { value: number; gradient: Float64Array } {
  const gradient = new Float64Array(params.length);
  let value = 0;
  params.forEach((p, i) => {
    const theta = p.bijector.forward(u[i]!);
    value += p.prior.logDensity(theta) + p.bijector.logDetJacobian(u[i]!);
    gradient[i] = p.prior.logDensityDerivative(theta) * p.bijector.derivative(u[i]!) + p.bijector.logDetJacobianDerivative(u[i]!);
  });
  return { value, gradient };
}
