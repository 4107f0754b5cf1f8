// Adam and AdamW (decoupled weight decay) with optional global gradient-norm clipping. The state
// is plain arrays so checkpoints can store it exactly.

export type OptimizerName = 'adam' | 'adamw';
export const optimizerNames: readonly OptimizerName[] = ['adam', 'adamw'];

export type LrSchedule = 'constant' | 'cosine';
export const lrScheduleNames: readonly LrSchedule[] = ['constant', 'cosine'];

/** The learning rate of `epoch` (0-based) out of `epochs`. */
export function scheduledLr(schedule: LrSchedule, lr: number, epoch: number, epochs: number): number {
  if (schedule === 'constant') return lr;
  return 0.5 * lr * (1 + Math.cos((Math.PI * epoch) / epochs));
}

export interface OptimizerOptions {
  name: OptimizerName;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** AdamW only. */
  weightDecay: number;
  /** Rescale the gradient to this global norm when it is larger (Infinity: never). */
  clipNorm: number;
}

export interface OptimizerState {
  step: number;
  m: number[];
  v: number[];
}

export function initialOptimizerState(size: number): OptimizerState {
  return { step: 0, m: new Array(size).fill(0), v: new Array(size).fill(0) };
}

/** Returns the norm of the gradient before clipping. */
export function optimizerStep(phi: Float64Array, gradient: Float64Array, state: OptimizerState, o: OptimizerOptions): number {
  let norm = 0;
  for (const g of gradient) norm += g * g;
  norm = Math.sqrt(norm);
  const clip = norm > o.clipNorm ? o.clipNorm / norm : 1;
  state.step += 1;
  const c1 = 1 - o.beta1 ** state.step;
  const c2 = 1 - o.beta2 ** state.step;
  for (let i = 0; i < phi.length; i++) {
    const g = gradient[i]! * clip;
    state.m[i] = o.beta1 * state.m[i]! + (1 - o.beta1) * g;
    state.v[i] = o.beta2 * state.v[i]! + (1 - o.beta2) * g * g;
    const update = (o.lr * (state.m[i]! / c1)) / (Math.sqrt(state.v[i]! / c2) + o.epsilon);
    const decay = o.name === 'adamw' ? o.lr * o.weightDecay * phi[i]! : 0;
    phi[i] = phi[i]! - update - decay;
  }
  return norm;
}
