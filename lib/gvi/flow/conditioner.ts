// The conditioner of one dimension of one autoregressive layer: the spline's raw numbers as a
// function of the dimensions before it. The first dimension's are free parameters; the others'
// come from a one-hidden-layer tanh network, raw = W2 tanh(W1 x + b1) + b2, whose output layer
// starts at zero (so the flow starts as the identity). Its parameters lie in φ at `offset`:
// [W1 (hidden × inputs, row-major), b1 (hidden), W2 (outputs × hidden, row-major), b2 (outputs)].

export interface Conditioner {
  offset: number;
  /** Dimensions it reads (0 for the first dimension: free raw numbers at `offset`). */
  inputs: number;
  hidden: number;
  /** Spline raw numbers it gives. */
  outputs: number;
  /** Its length in φ. */
  size: number;
}

export function conditioner(offset: number, inputs: number, hidden: number, outputs: number): Conditioner {
  const size = inputs === 0 ? outputs : hidden * inputs + hidden + outputs * hidden + outputs;
  return { offset, inputs, hidden, outputs, size };
}

/** Offset of W1 in φ and the number of its entries (the weights drawn at initialisation). */
export function inputWeights(c: Conditioner): { offset: number; count: number } {
  return { offset: c.offset, count: c.inputs === 0 ? 0 : c.hidden * c.inputs };
}

/** raw (length outputs) from inputs x (length inputs); keeps tanh activations in `hidden`. */
export function conditionerForward(phi: ArrayLike<number>, c: Conditioner, x: ArrayLike<number>, hidden: Float64Array, raw: Float64Array): void {
  const { offset, inputs: I, hidden: H, outputs: M } = c;
  if (I === 0) {
    for (let m = 0; m < M; m++) raw[m] = phi[offset + m]!;
    return;
  }
  const b1 = offset + H * I;
  const w2 = b1 + H;
  const b2 = w2 + M * H;
  for (let h = 0; h < H; h++) {
    let a = phi[b1 + h]!;
    for (let j = 0; j < I; j++) a += phi[offset + h * I + j]! * x[j]!;
    hidden[h] = Math.tanh(a);
  }
  for (let m = 0; m < M; m++) {
    let r = phi[b2 + m]!;
    for (let h = 0; h < H; h++) r += phi[w2 + m * H + h]! * hidden[h]!;
    raw[m] = r;
  }
}

/** Reverse mode: adds the pull-back of graw onto φ to gphi and onto x to gx. */
export function conditionerBackward(
  phi: ArrayLike<number>, c: Conditioner, x: ArrayLike<number>, hidden: Float64Array, graw: Float64Array,
  gphi: Float64Array, gx: Float64Array,
): void {
  const { offset, inputs: I, hidden: H, outputs: M } = c;
  if (I === 0) {
    for (let m = 0; m < M; m++) gphi[offset + m] = gphi[offset + m]! + graw[m]!;
    return;
  }
  const b1 = offset + H * I;
  const w2 = b1 + H;
  const b2 = w2 + M * H;
  for (let h = 0; h < H; h++) {
    let gh = 0;
    for (let m = 0; m < M; m++) {
      const g = graw[m]!;
      gphi[w2 + m * H + h] = gphi[w2 + m * H + h]! + g * hidden[h]!;
      gh += phi[w2 + m * H + h]! * g;
    }
    const ga = gh * (1 - hidden[h]! * hidden[h]!);
    gphi[b1 + h] = gphi[b1 + h]! + ga;
    for (let j = 0; j < I; j++) {
      gphi[offset + h * I + j] = gphi[offset + h * I + j]! + ga * x[j]!;
      gx[j] = gx[j]! + ga * phi[offset + h * I + j]!;
    }
  }
  for (let m = 0; m < M; m++) gphi[b2 + m] = gphi[b2 + m]! + graw[m]!;
}
