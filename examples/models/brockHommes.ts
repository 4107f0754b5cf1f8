// Brock–Hommes (1998) asset pricing with four trader types (models.brockHommes), written with
// defineModel.
//
// Type j forecasts g_j x(t-1) + b_j. The fractions of the types follow a softmax of their past
// performance
//   U_j = beta (x(t-1) - R x(t-2)) (g_j x(t-3) + b_j - R x(t-2)),
// and the price deviation is
//   x(t) = (sum_j softmax(U)_j (g_j x(t-1) + b_j) + sigma eps_t) / R,   eps_t ~ N(0, 1),
// with x(-2) = x(-1) = x(0) = 0. The four types play the part of the agents (agents is fixed at
// 4); the model has no agent loops and no discrete draws, so its tangents are exact in every mode.
// Output: x.
//
// Stream 0 is the built-in's slot of the noise and the arithmetic its order, so the values are
// the built-in's bitwise. The tangents are equal up to rounding, not bitwise: the built-in
// subtracts the largest U_j's value alone (a constant) before exp, while here Math.max carries
// that U_j's tangents, which cancel in the softmax only up to rounding.
import { defineModel } from '../../lib/index.js';

export default defineModel({
  name: 'brockHommes',
  parameters: {
    beta: { constraint: 'positive', reference: 120 },   // intensity of choice
    R: { constraint: 'positive', reference: 1.01 },     // gross interest rate
    sigma: { constraint: 'positive', reference: 0.04 }, // noise
    g1: { constraint: 'real', reference: 0 },           // trend of each type
    g2: { constraint: 'real', reference: 0.9 },
    g3: { constraint: 'real', reference: 0.9 },
    g4: { constraint: 'real', reference: 1.01 },
    b1: { constraint: 'real', reference: 0 },           // bias of each type
    b2: { constraint: 'real', reference: 0.2 },
    b3: { constraint: 'real', reference: -0.2 },
    b4: { constraint: 'real', reference: 0 },
  },
  settings: { agents: { default: 4, min: 4, max: 4, integer: true }, steps: 100 },
  state: ['x1', 'x2', 'x3'],   // x(t-1), x(t-2), x(t-3), 0 before the first step
  outputs: ['x'],
  init(m) {
    m.output({ x: 0 });
  },
  step(m) {
    const R = m.params.R;
    const x1 = m.state.x1;
    const x2 = m.state.x2;
    const x3 = m.state.x3;
    const realised = x1 - R * x2;
    // The performance U_j of a type with trend g and bias b.
    const performance = (g: number, b: number) => m.params.beta * realised * (g * x3 + b - R * x2);
    const u1 = performance(m.params.g1, m.params.b1);
    const u2 = performance(m.params.g2, m.params.b2);
    const u3 = performance(m.params.g3, m.params.b3);
    const u4 = performance(m.params.g4, m.params.b4);
    // Softmax is shift invariant: subtracting the largest U keeps exp finite.
    const largest = Math.max(u1, u2, u3, u4);
    const w1 = Math.exp(u1 - largest);
    const w2 = Math.exp(u2 - largest);
    const w3 = Math.exp(u3 - largest);
    const w4 = Math.exp(u4 - largest);
    const weights = w1 + w2 + w3 + w4;
    const forecasts = w1 * (m.params.g1 * x1 + m.params.b1) + w2 * (m.params.g2 * x1 + m.params.b2) +
      w3 * (m.params.g3 * x1 + m.params.b3) + w4 * (m.params.g4 * x1 + m.params.b4);
    const x = (forecasts / weights + m.params.sigma * m.commonNormal({ stream: 0 })) / R;
    m.state.x3 = x2;
    m.state.x2 = x1;
    m.state.x1 = x;
    m.output({ x });
  },
});
