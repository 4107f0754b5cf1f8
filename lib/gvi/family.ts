// Gaussian variational families over the unconstrained space: u = μ + L z, z ~ N(0, I).
// 'diagonal-gaussian': L = diag(exp ρ); 'full-rank-gaussian': L lower triangular with diagonal
// exp ρ. The flat parameter vector φ is [μ (P), ρ (P), strictly-lower entries of L row by row].

export type FamilyName = 'diagonal-gaussian' | 'full-rank-gaussian';
export const familyNames: readonly FamilyName[] = ['diagonal-gaussian', 'full-rank-gaussian'];

export interface Family {
  readonly name: FamilyName;
  readonly dimension: number;
  /** Length of φ. */
  readonly size: number;
}

export function family(name: FamilyName, dimension: number): Family {
  const offDiagonal = name === 'full-rank-gaussian' ? (dimension * (dimension - 1)) / 2 : 0;
  return { name, dimension, size: 2 * dimension + offDiagonal };
}

export function initialPhi(f: Family, mean: number[], scale: number[]): Float64Array {
  const phi = new Float64Array(f.size);
  phi.set(mean, 0);
  phi.set(scale.map(Math.log), f.dimension);
  return phi;
}

export function meanOf(f: Family, phi: Float64Array): Float64Array {
  return phi.slice(0, f.dimension);
}

/** The Cholesky factor L as a dense row-major P × P matrix. */
export function choleskyOf(f: Family, phi: Float64Array): Float64Array {
  const P = f.dimension;
  const L = new Float64Array(P * P);
  for (let i = 0; i < P; i++) L[i * P + i] = Math.exp(phi[P + i]!);
  if (f.name === 'full-rank-gaussian') {
    let k = 2 * P;
    for (let i = 1; i < P; i++) for (let j = 0; j < i; j++) L[i * P + j] = phi[k++]!;
  }
  return L;
}

/** u = μ + L z. */
export function transform(f: Family, phi: Float64Array, z: ArrayLike<number>): Float64Array {
  const P = f.dimension;
  const L = choleskyOf(f, phi);
  const u = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    let s = phi[i]!;
    for (let j = 0; j <= i; j++) s += L[i * P + j]! * z[j]!;
    u[i] = s;
  }
  return u;
}

/** Entropy of N(μ, LLᵀ): Σ log L_ii + P/2 log(2πe). Its gradient with respect to ρ_i is 1. */
export function entropy(f: Family, phi: Float64Array): number {
  let s = 0;
  for (let i = 0; i < f.dimension; i++) s += phi[f.dimension + i]!;
  return s + 0.5 * f.dimension * Math.log(2 * Math.PI * Math.E);
}

/**
 * Chain rule from a gradient with respect to u = μ + L z into φ: dμ = g, dL_ij = g_i z_j
 * (j ≤ i), with dρ_i = dL_ii · L_ii.
 */
export function accumulatePathGradient(f: Family, phi: Float64Array, z: ArrayLike<number>, gu: ArrayLike<number>, scale: number, out: Float64Array): void {
  const P = f.dimension;
  for (let i = 0; i < P; i++) {
    const g = scale * gu[i]!;
    out[i] = out[i]! + g;
    out[P + i] = out[P + i]! + g * z[i]! * Math.exp(phi[P + i]!);
  }
  if (f.name === 'full-rank-gaussian') {
    let k = 2 * P;
    for (let i = 1; i < P; i++) for (let j = 0; j < i; j++) out[k] = out[k++]! + scale * gu[i]! * z[j]!;
  }
}

/**
 * ∇φ log q(u) at u = μ + L z (for the score-function estimator): with s = L⁻ᵀ z,
 * dμ = s and dL = (s zᵀ − L⁻ᵀ) on the lower triangle, chained to ρ on the diagonal.
 */
export function scoreOfSample(f: Family, phi: Float64Array, z: ArrayLike<number>): Float64Array {
  const P = f.dimension;
  const L = choleskyOf(f, phi);
  // Solve Lᵀ s = z by back substitution.
  const s = new Float64Array(P);
  for (let i = P - 1; i >= 0; i--) {
    let v = z[i]!;
    for (let k = i + 1; k < P; k++) v -= L[k * P + i]! * s[k]!;
    s[i] = v / L[i * P + i]!;
  }
  const out = new Float64Array(f.size);
  out.set(s, 0);
  // L⁻ᵀ is upper triangular: on the lower triangle only its diagonal 1 / L_ii remains.
  for (let i = 0; i < P; i++) out[P + i] = (s[i]! * z[i]! - 1 / L[i * P + i]!) * L[i * P + i]!;
  if (f.name === 'full-rank-gaussian') {
    let k = 2 * P;
    for (let i = 1; i < P; i++) for (let j = 0; j < i; j++) out[k++] = s[i]! * z[j]!;
  }
  return out;
}
