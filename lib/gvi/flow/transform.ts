// The flow's map u = μ + σ ⊙ S(z), S = S_{L−1} ∘ … ∘ S_0, each S_l an inverse-autoregressive
// layer of rational-quadratic splines: in the layer's order of the dimensions (identity for even
// l, reversed for odd l), dimension i is moved by a spline whose raw numbers come from the
// conditioner of the layer's inputs before i. So ∂S_l/∂x is triangular in that order and
// log|det| is the sum of the splines' log-derivatives.
//
// φ = [μ (P), ρ = log σ (P), then the conditioners, layer by layer, dimension by dimension].
// forward keeps a tape (each layer's input, activations and spline numbers) for backward,
// the reverse mode that pulls cotangents on u and on log|det ∂u/∂z| back onto φ and onto z.
// inverse runs the layers backwards, one dimension after another within a layer.
import { conditioner, conditionerBackward, conditionerForward, type Conditioner } from './conditioner.js';
import type { FlowConfig } from './options.js';
import { splineBackward, splineForward, splineInverse, splineSize } from './spline.js';

export interface FlowTape {
  z: Float64Array;
  u: Float64Array;
  /** log |det ∂u/∂z|. */
  logDet: number;
  /** S(z), before the affine map. */
  s: Float64Array;
  /** Per layer: its input (P). */
  inputs: Float64Array[];
  /** Per layer: tanh activations, P × hidden. */
  hidden: Float64Array[];
  /** Per layer: spline raw numbers, P × (3K − 1). */
  raws: Float64Array[];
}

export class FlowMap {
  readonly size: number;
  /** conditioners[l][i]: layer l, i-th dimension in the layer's order. */
  readonly conditioners: Conditioner[][];
  readonly rawSize: number;

  constructor(readonly dimension: number, readonly config: FlowConfig) {
    const P = dimension;
    this.rawSize = splineSize(config.bins);
    let offset = 2 * P;
    this.conditioners = Array.from({ length: config.layers }, () =>
      Array.from({ length: P }, (_, i) => {
        const c = conditioner(offset, i, config.hidden, this.rawSize);
        offset += c.size;
        return c;
      }),
    );
    this.size = offset;
  }

  /** The coordinate of layer l's i-th dimension. */
  coordinate(l: number, i: number): number {
    return l % 2 === 0 ? i : this.dimension - 1 - i;
  }

  forward(phi: ArrayLike<number>, z: ArrayLike<number>): FlowTape {
    const P = this.dimension;
    const { layers, bins: K, hidden: H, bound: B } = this.config;
    const M = this.rawSize;
    const inputs: Float64Array[] = [];
    const hiddens: Float64Array[] = [];
    const raws: Float64Array[] = [];
    const before = new Float64Array(P);
    let x = Float64Array.from(z);
    let logDet = 0;
    for (let l = 0; l < layers; l++) {
      const hidden = new Float64Array(P * H);
      const raw = new Float64Array(P * M);
      const y = new Float64Array(P);
      for (let i = 0; i < P; i++) {
        for (let j = 0; j < i; j++) before[j] = x[this.coordinate(l, j)]!;
        conditionerForward(phi, this.conditioners[l]![i]!, before, hidden.subarray(i * H, (i + 1) * H), raw.subarray(i * M, (i + 1) * M));
        const c = this.coordinate(l, i);
        const value = splineForward(raw, i * M, K, B, x[c]!);
        y[c] = value.y;
        logDet += value.logDerivative;
      }
      inputs.push(x);
      hiddens.push(hidden);
      raws.push(raw);
      x = y;
    }
    const u = new Float64Array(P);
    for (let i = 0; i < P; i++) {
      u[i] = phi[i]! + Math.exp(phi[P + i]!) * x[i]!;
      logDet += phi[P + i]!;
    }
    return { z: Float64Array.from(z), u, logDet, s: x, inputs, hidden: hiddens, raws };
  }

  /**
   * Reverse mode: adds ∂/∂φ [gu · u + gLogDet · log|det ∂u/∂z|] (at fixed z) to gphi and returns
   * the same derivative with respect to z.
   */
  backward(phi: ArrayLike<number>, tape: FlowTape, gu: ArrayLike<number>, gLogDet: number, gphi: Float64Array): Float64Array {
    const P = this.dimension;
    const { layers, bins: K, hidden: H, bound: B } = this.config;
    const M = this.rawSize;
    let gy = new Float64Array(P);
    for (let i = 0; i < P; i++) {
      const sigma = Math.exp(phi[P + i]!);
      gphi[i] = gphi[i]! + gu[i]!;
      gphi[P + i] = gphi[P + i]! + gu[i]! * sigma * tape.s[i]! + gLogDet;
      gy[i] = gu[i]! * sigma;
    }
    const graw = new Float64Array(M);
    const before = new Float64Array(P);
    const gBefore = new Float64Array(P);
    for (let l = layers - 1; l >= 0; l--) {
      const x = tape.inputs[l]!;
      const raw = tape.raws[l]!;
      const hidden = tape.hidden[l]!;
      const gx = new Float64Array(P);
      for (let i = P - 1; i >= 0; i--) {
        const c = this.coordinate(l, i);
        graw.fill(0);
        gx[c] = gx[c]! + splineBackward(raw, i * M, K, B, x[c]!, gy[c]!, gLogDet, graw, 0);
        for (let j = 0; j < i; j++) {
          before[j] = x[this.coordinate(l, j)]!;
          gBefore[j] = 0;
        }
        conditionerBackward(phi, this.conditioners[l]![i]!, before, hidden.subarray(i * H, (i + 1) * H), graw, gphi, gBefore);
        for (let j = 0; j < i; j++) {
          const cj = this.coordinate(l, j);
          gx[cj] = gx[cj]! + gBefore[j]!;
        }
      }
      gy = gx;
    }
    return gy;
  }

  /** z = T⁻¹(u) and log |det ∂u/∂z| there. */
  inverse(phi: ArrayLike<number>, u: ArrayLike<number>): { z: Float64Array; logDet: number } {
    const P = this.dimension;
    const { layers, bins: K, hidden: H, bound: B } = this.config;
    const M = this.rawSize;
    let y = new Float64Array(P);
    let logDet = 0;
    for (let i = 0; i < P; i++) {
      y[i] = (u[i]! - phi[i]!) / Math.exp(phi[P + i]!);
      logDet += phi[P + i]!;
    }
    const hidden = new Float64Array(H);
    const raw = new Float64Array(M);
    const before = new Float64Array(P);
    for (let l = layers - 1; l >= 0; l--) {
      const x = new Float64Array(P);
      for (let i = 0; i < P; i++) {
        for (let j = 0; j < i; j++) before[j] = x[this.coordinate(l, j)]!;
        conditionerForward(phi, this.conditioners[l]![i]!, before, hidden, raw);
        const c = this.coordinate(l, i);
        const value = splineInverse(raw, 0, K, B, y[c]!);
        x[c] = value.x;
        logDet += value.logDerivative;
      }
      y = x;
    }
    return { z: y, logDet };
  }
}
