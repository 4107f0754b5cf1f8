// Dense linear solve A x = b by Gaussian elimination with partial pivoting (small P × P systems:
// the flow's Jacobian in the score-function estimator).

/** x with A x = b; A is row-major n × n and is not modified. */
export function solve(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const m = Float64Array.from(A as ArrayLike<number>);
  const x = Float64Array.from(b as ArrayLike<number>);
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[pivot * n + k]!)) pivot = i;
    if (pivot !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j]!;
        m[k * n + j] = m[pivot * n + j]!;
        m[pivot * n + j] = t;
      }
      const t = x[k]!;
      x[k] = x[pivot]!;
      x[pivot] = t;
    }
    const d = m[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k]! / d;
      if (f === 0) continue;
      for (let j = k; j < n; j++) m[i * n + j] = m[i * n + j]! - f * m[k * n + j]!;
      x[i] = x[i]! - f * x[k]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = x[i]!;
    for (let j = i + 1; j < n; j++) v -= m[i * n + j]! * x[j]!;
    x[i] = v / m[i * n + i]!;
  }
  return x;
}
