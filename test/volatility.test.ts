import test from 'ava';

import { models, simulate } from '../lib/index.js';
import { native } from '../lib/native.js';
import { checkTangents, mean, stderr, strided } from './helpers.js';

const truth = { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 };
const names = Object.keys(truth) as Array<keyof typeof truth>;

test('volatility (relaxed, float64): forward-mode tangents equal central differences with common random numbers', async (t) => {
  const model = models.volatility({ agents: 200, steps: 40 });
  const options = { replicates: 4, seed: 9, dtype: 'float64' as const, discrete: { mode: 'relaxed' as const, tau: 0.1 } };
  const checks = await checkTangents(model, truth, names, options, (name) => 1e-6 * truth[name as keyof typeof truth]);
  t.is(checks.length, 4);
  for (const { name, scale, worst } of checks) {
    t.true(scale > 1e-3, `${name}: the outputs depend on it`);
    t.true(worst < 1e-3, `${name}: worst relative error ${worst}`);
  }
});

// Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const k = 1 / (1 + 0.3275911 * z);
  const erf = 1 - k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

// At t = 1 every trader whose LogNormal(muLN, sigmaLN) threshold lies below |eps| trades in the
// direction of eps, so E|r(1)| = E_eps[F(|eps|)] / eta with eps ~ N(0, sigmaEps^2).
function expectedFirstAbsReturn(): number {
  const points = 20000;
  const top = 10 * truth.sigmaEps;
  let integral = 0;
  for (let i = 0; i < points; i++) {
    const e = ((i + 0.5) / points) * top;
    const density = (2 / (truth.sigmaEps * Math.sqrt(2 * Math.PI))) * Math.exp(-0.5 * (e / truth.sigmaEps) ** 2);
    integral += density * normalCdf((Math.log(e) - truth.muLN) / truth.sigmaLN) * (top / points);
  }
  return integral / truth.eta;
}

test('volatility: the first return matches its closed form, r(0) = 0, and |r| <= 1/eta', async (t) => {
  const replicates = 2000;
  const model = models.volatility({ agents: 1000, steps: 3 });
  const sim = await simulate(model, truth, { replicates, seed: 1, discrete: { mode: 'exact' } });
  const first = strided(sim.values, replicates, 4, 1);
  const absFirst = first.map(Math.abs);
  const expected = expectedFirstAbsReturn();
  t.true(Math.abs(mean(absFirst) - expected) < 4 * stderr(absFirst), `E|r(1)| ${mean(absFirst)} vs ${expected} ± ${stderr(absFirst)}`);
  t.true(Math.abs(mean(first)) < 4 * stderr(first), `E r(1) = ${mean(first)}`);
  t.true(strided(sim.values, replicates, 4, 0).every((r) => r === 0));
  t.true(Array.from(sim.values).every((r) => Math.abs(r) <= 1 / truth.eta + 1e-6));
  // Exact mode: every return is a whole number of orders / (N eta).
  t.true(Array.from(sim.values).every((r) => Math.abs(r * 700 - Math.round(r * 700)) < 1e-2));
});

test('volatility: the reference setting runs with 4 tangents in float32 and gives finite numbers', async (t) => {
  const sim = await simulate(models.volatility(), truth, { replicates: 4, seed: 2, tangents: true });
  t.true(sim.values instanceof Float32Array);
  t.is(sim.tangents!.length, 4 * 101 * 4);
  t.true(Array.from(sim.tangents!).every(Number.isFinite));
  t.true(Array.from(sim.tangents!).some((x) => x !== 0));
});

test('volatility: with resetProbability 1 every threshold becomes |r(t)| after step t, so from t = 2 on all agents place the same order', async (t) => {
  const replicates = 8;
  const steps = 40;
  const model = models.volatility({ agents: 100, steps, resetProbability: 1 });
  const sim = await simulate(model, truth, { replicates, seed: 3, dtype: 'float64', discrete: { mode: 'exact' } });
  const full = 1 / truth.eta;
  const isFull = (r: number) => Math.abs(Math.abs(r) - full) < 1e-12;
  let stayedFull = 0;
  let fellToZero = 0;
  for (let replicate = 0; replicate < replicates; replicate++) {
    const path = Array.from(sim.values.subarray(replicate * (steps + 1), (replicate + 1) * (steps + 1)));
    for (let step = 2; step <= steps; step++) {
      const [previous, current] = [path[step - 1]!, path[step]!];
      t.true(current === 0 || isFull(current), `replicate ${replicate}, r(${step}) = ${current}: not 0 or ±1/eta`);
      // All thresholds 0: every agent trades with the signal. All |r| = 1/eta: all or none do.
      if (step > 2 && previous === 0) t.true(isFull(current), `replicate ${replicate}: r(${step - 1}) = 0 but r(${step}) = ${current}`);
      if (step > 2 && isFull(previous)) isFull(current) ? stayedFull++ : fellToZero++;
    }
  }
  // P(|eps| > 1/eta) = 0.153 with sigmaEps = 1: both outcomes occur.
  t.true(stayedFull > 0 && fellToZero > stayedFull, `stayed at ±1/eta ${stayedFull} times, fell to 0 ${fellToZero} times`);
});

test('volatility (score mode): log p counts one reset draw per agent and step, the last step included', async (t) => {
  const agents = 100;
  const steps = 7;
  const s = 0.1;
  const model = models.volatility({ agents, steps, resetProbability: s });
  const sim = await simulate(model, truth, { replicates: 6, seed: 5, dtype: 'float64', discrete: { mode: 'score' } });
  t.is(sim.logProb!.length, 6);
  for (const logProb of sim.logProb!) {
    // log p = n log s + (N T - n) log(1 - s) for the n resets among the N T draws.
    const resets = (logProb - agents * steps * Math.log(1 - s)) / (Math.log(s) - Math.log(1 - s));
    t.true(Math.abs(resets - Math.round(resets)) < 1e-6, `${resets} resets: not a whole number, so not N T = ${agents * steps} draws`);
    t.true(Math.abs(resets - s * agents * steps) < 5 * Math.sqrt(agents * steps * s * (1 - s)), `${resets} resets of ${agents * steps}`);
  }
});

// A dual number over the four parameters, for the reference below.
interface Dual4 { v: number; d: number[] }
const dual = (v: number, d = [0, 0, 0, 0]): Dual4 => ({ v, d });

// The draws of random.hpp from the Philox words, in double arithmetic: a normal is Box–Muller on
// the two uniforms of its own call, (replicate, agent, step, slot), a float's from words 0 and 2, a
// double's from words 0-1 and 2-3; a uniform is packed, four floats or two doubles to a call.
function drawsOf(seed: number, dtype: 'float32' | 'float64') {
  const { philox } = native().internals;
  const floatUniform = (word: number) => ((word >>> 9) + 0.5) * 2 ** -23;
  const doubleUniform = (high: number, low: number) => (Number(((BigInt(high) << 32n) | BigInt(low)) >> 12n) + 0.5) * 2 ** -52;
  const perCall = dtype === 'float32' ? 4 : 2;
  return {
    normal(replicate: number, agent: number, step: number, slot: number): number {
      const [w0, w1, w2, w3] = philox(10, [replicate, agent, step, slot], [seed, 0]);
      const [u1, u2] = dtype === 'float32' ? [floatUniform(w0!), floatUniform(w2!)] : [doubleUniform(w0!, w1!), doubleUniform(w2!, w3!)];
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    uniform(replicate: number, agent: number, step: number, slot: number): number {
      const block = Math.floor(agent / (16 * perCall)) * 16 + (agent % 16);
      const lane = Math.floor(agent / 16) % perCall;
      const words = philox(10, [replicate, block, step, slot + 0x80000000], [seed, 0]);
      return dtype === 'float32' ? floatUniform(words[lane]!) : doubleUniform(words[2 * lane]!, words[2 * lane + 1]!);
    },
  };
}

// Straight-through tangents of r(t) by hand: each order 1[x > nu] - 1[x < -nu] has the tangent
// k s- (dx - dnu) + k s+ (dx + dnu), s-+ = sigmoid'(k (x -+ nu)), with x = sigmaEps eps and the
// thresholds' tangents carried through their LogNormal start and their resets to |r|. The agent
// loops sum the parts through nu and through x apart (DeadZoneSign::sum_over); this holds the sum
// to the per-agent formula, over 300 agents (a partial group of 16 at the end) and three steps,
// the reset pass inside the summing one included. float32 runs the SIMD kernels, float64 the
// scalar ones; each is held to ten times the worst error seen (float32 rounds its draws and sums).
test('volatility (straight-through): tangents equal the per-agent surrogate formula summed by hand, in float32 and float64', async (t) => {
  const agents = 300;
  const steps = 3;
  const seed = 21;
  const k = 4;
  const s = 0.3;
  const theta = { muLN: 0.2, sigmaLN: 0.8, sigmaEps: 1.3, eta: 0.7 };
  const slope = (z: number) => { const e = Math.exp(-Math.abs(z)); return e / (1 + e) ** 2; };
  let checked = 0;
  for (const [dtype, tolerance] of [['float64', 1e-11], ['float32', 1e-5]] as const) {
    const sim = await simulate(models.volatility({ agents, steps, resetProbability: s }), theta, {
      replicates: 2, seed, dtype, tangents: true, discrete: { mode: 'straight-through', sharpness: k },
    });
    const draws = drawsOf(seed, dtype);
    for (let replicate = 0; replicate < 2; replicate++) {
      const nu: Dual4[] = Array.from({ length: agents }, (_, i) => {
        const z = draws.normal(replicate, i, 0, 0);
        const v = Math.exp(theta.muLN + theta.sigmaLN * z);
        return dual(v, [v, v * z, 0, 0]);
      });
      let r = dual(0);
      for (let step = 1; step <= steps; step++) {
        const eps = draws.normal(replicate, 0xffffffff, step, 1);
        const x = dual(theta.sigmaEps * eps, [0, 0, eps, 0]);
        if (step > 1) {
          const sign = r.v < 0 ? -1 : 1;
          for (let i = 0; i < agents; i++) if (draws.uniform(replicate, i, step - 1, 2) < s) nu[i] = dual(Math.abs(r.v), r.d.map((d) => sign * d));
        }
        const demand = dual(0);
        for (const w of nu) {
          demand.v += (x.v > w.v ? 1 : 0) - (-w.v > x.v ? 1 : 0);
          const minus = k * slope(k * (x.v - w.v));
          const plus = k * slope(k * (x.v + w.v));
          for (let j = 0; j < 4; j++) demand.d[j]! += minus * (x.d[j]! - w.d[j]!) + plus * (x.d[j]! + w.d[j]!);
        }
        const scale = agents * theta.eta;
        r = dual(demand.v / scale, demand.d.map((d, j) => d / scale - (j === 3 ? demand.v / (scale * theta.eta) : 0)));
        const at = replicate * (steps + 1) + step;
        const where = `${dtype}, replicate ${replicate}`;
        t.true(Math.abs(sim.values[at]! - r.v) <= tolerance * Math.abs(r.v), `${where}, r(${step}) = ${sim.values[at]} vs ${r.v}`);
        t.true(r.v !== 0, `${where}, r(${step}) = 0: the resets then carry no tangents`);
        for (let j = 0; j < 4; j++) {
          const got = sim.tangents![at * 4 + j]!;
          t.true(Math.abs(got - r.d[j]!) <= tolerance * (Math.abs(r.d[j]!) + 1e-2), `${where}, d r(${step}) / d ${names[j]}: ${got} vs ${r.d[j]}`);
          checked++;
        }
      }
    }
  }
  t.is(checked, 2 * 2 * steps * 4);
});
