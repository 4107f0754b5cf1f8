// The gamma function and gamma variates, for the beta prior.

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

// log Γ(x) by the Lanczos approximation (g = 7), accurate to ~1e-15 relative for x > 0.
const lanczos = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = lanczos[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += lanczos[i]! / (y + i);
  return LOG_SQRT_2PI + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

// Marsaglia–Tsang gamma(shape, 1) draw.
export function sampleGamma(shape: number, normal: () => number, uniform: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, normal, uniform) * uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = uniform();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

