// Maps between a parameter's natural units and the unconstrained space the variational family
// lives in, by constraint: real → identity, positive → exp, unit → sigmoid.
import type { Constraint } from '../native.js';

export interface Bijector {
  /** θ = T(u). */
  forward(u: number): number;
  /** u = T⁻¹(θ). */
  inverse(theta: number): number;
  /** dθ/du at u. */
  derivative(u: number): number;
  /** log |dθ/du| at u. */
  logDetJacobian(u: number): number;
  /** d log |dθ/du| / du at u. */
  logDetJacobianDerivative(u: number): number;
}

const identity: Bijector = {
  forward: (u) => u,
  inverse: (theta) => theta,
  derivative: () => 1,
  logDetJacobian: () => 0,
  logDetJacobianDerivative: () => 0,
};

const exponential: Bijector = {
  forward: (u) => Math.exp(u),
  inverse: (theta) => Math.log(theta),
  derivative: (u) => Math.exp(u),
  logDetJacobian: (u) => u,
  logDetJacobianDerivative: () => 1,
};

function sigmoid(u: number): number {
  return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
}

// log σ(u) = -softplus(-u), computed without overflow.
function logSigmoid(u: number): number {
  return u >= 0 ? -Math.log1p(Math.exp(-u)) : u - Math.log1p(Math.exp(u));
}

const logistic: Bijector = {
  forward: sigmoid,
  inverse: (theta) => Math.log(theta) - Math.log1p(-theta),
  derivative: (u) => sigmoid(u) * sigmoid(-u),
  logDetJacobian: (u) => logSigmoid(u) + logSigmoid(-u),
  logDetJacobianDerivative: (u) => 1 - 2 * sigmoid(u),
};

export function bijectorFor(constraint: Constraint): Bijector {
  return constraint === 'positive' ? exponential : constraint === 'unit' ? logistic : identity;
}

/** θ = low + (high - low) σ(u): for parameters with a bounded (uniform) prior. */
export function intervalBijector(low: number, high: number): Bijector {
  const width = high - low;
  return {
    forward: (u) => low + width * sigmoid(u),
    inverse: (theta) => logistic.inverse((theta - low) / width),
    derivative: (u) => width * logistic.derivative(u),
    logDetJacobian: (u) => Math.log(width) + logistic.logDetJacobian(u),
    logDetJacobianDerivative: logistic.logDetJacobianDerivative,
  };
}
