import test from 'ava';

import { fit, gradient, losses, models, posteriorPredictive, priors, simulate } from '../lib/index.js';
import { native } from '../lib/native.js';

const vol = models.volatility({ agents: 10, steps: 5 });
const theta = { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 };
const ring3 = { nodes: 3, offsets: Int32Array.from([0, 2, 4, 6]), neighbours: Int32Array.from([1, 2, 0, 2, 0, 1]) };

type Case = [string, () => Promise<unknown> | unknown, typeof TypeError | typeof RangeError, RegExp];

const cases: Case[] = [
  ['negative parameter', () => simulate(vol, { ...theta, eta: -1 }), RangeError, /theta\.eta must be a finite number > 0/],
  ['zero positive parameter', () => simulate(vol, { ...theta, sigmaEps: 0 }), RangeError, /theta\.sigmaEps/],
  ['NaN parameter', () => simulate(vol, { ...theta, muLN: NaN }), RangeError, /theta\.muLN/],
  ['infinite parameter', () => simulate(vol, { ...theta, muLN: Infinity }), RangeError, /theta\.muLN/],
  ['string parameter', () => simulate(vol, { ...theta, muLN: '1' as unknown as number }), TypeError, /theta\.muLN must be a number/],
  ['missing parameter', () => simulate(vol, { muLN: 1, sigmaLN: 0.5, sigmaEps: 1 } as never), TypeError, /theta\.eta is missing/],
  ['unknown parameter', () => simulate(vol, { ...theta, beta: 1 }), TypeError, /theta\.beta is not a parameter/],
  ['p above 1', () => simulate(models.randomWalk(), { p: 1.5 }), RangeError, /theta\.p must be a number in \[0, 1\]/],
  ['fractional replicates', () => simulate(vol, theta, { replicates: 2.5 }), RangeError, /replicates must be an integer in \[1, 2147483647\]/],
  ['zero replicates', () => simulate(vol, theta, { replicates: 0 }), RangeError, /replicates must be an integer/],
  ['string replicates', () => simulate(vol, theta, { replicates: '4' as unknown as number }), TypeError, /replicates must be an integer/],
  ['negative seed', () => simulate(vol, theta, { seed: -1 }), RangeError, /seed must be a non-negative integer/],
  ['huge bigint seed', () => simulate(vol, theta, { seed: 2n ** 64n }), RangeError, /seed must be/],
  ['unknown tangent', () => simulate(vol, theta, { tangents: ['beta'] }), RangeError, /tangents must be names of parameters of volatility/],
  ['repeated tangent', () => simulate(vol, theta, { tangents: ['eta', 'eta'] }), RangeError, /tangents names 'eta' twice/],
  ['tau zero', () => simulate(vol, theta, { discrete: { tau: 0 } }), RangeError, /discrete\.tau must be a finite number > 0/],
  ['tau negative', () => simulate(vol, theta, { discrete: { tau: -1 } }), RangeError, /discrete\.tau/],
  ['sharpness NaN', () => simulate(vol, theta, { discrete: { sharpness: NaN } }), RangeError, /discrete\.sharpness/],
  ['unknown mode', () => simulate(vol, theta, { discrete: { mode: 'gumbel' as never } }), RangeError, /discrete\.mode must be one of/],
  ['unknown dtype', () => simulate(vol, theta, { dtype: 'float16' as never }), RangeError, /dtype must be 'float32' or 'float64'/],
  ['unknown backend', () => simulate(vol, theta, { backend: 'metal' as never }), RangeError, /backend must be 'auto', 'cpu' or 'cuda'/],
  ['negative threads', () => simulate(vol, theta, { threads: -1 }), RangeError, /threads must be an integer in \[0, 1024\]/],
  ['memory cap', () => simulate(vol, theta, { replicates: 1000, maxBytes: 1000 }), RangeError, /needs .* more than the cap .*maxBytes/],
  ['default memory cap', () => simulate(models.volatility({ agents: 1e8, steps: 1e6 }), theta, { replicates: 2e9 }), RangeError, /more than the cap of .* MiB/],
  ['not a model', () => simulate({} as never, theta), TypeError, /model must be a model/],
  ['theta not an object', () => simulate(vol, 3 as never), TypeError, /theta must be an object/],
  ['agents fractional', () => models.volatility({ agents: 10.5 }), RangeError, /agents must be an integer in \[1, 100000000\]/],
  ['steps zero', () => models.randomWalk({ steps: 0 }), RangeError, /steps must be an integer in \[1, 1000000\]/],
  ['reset probability above 1', () => models.volatility({ resetProbability: 2 }), RangeError, /resetProbability must be a number in \[0, 1\]/],
  ['unknown model option', () => models.volatility({ traders: 5 } as never), TypeError, /'traders' is not an option of models\.volatility/],
  ['native: unknown model', () => native().simulate({ model: 'nope', theta: [], replicates: 1 }), RangeError, /model must be one of 'randomWalk', 'volatility', 'sir', 'networkSir', 'brockHommes', 'bassDiffusion', 'bernoulliSum', 'gaussianShift', 'gaussianLocation'/],
  ['native: graph model without a graph', () => native().simulate({ model: 'networkSir', theta: [0.1, 0.1, 0.1], settings: { agents: 3 }, replicates: 1 }), TypeError, /model 'networkSir' needs a graph \{ offsets, neighbours \}/],
  ['native: graph for a model without one', () => native().simulate({ model: 'sir', theta: [0.1, 0.1, 0.1], graph: ring3, replicates: 1 }), TypeError, /model 'sir' takes no graph/],
  ['native: graph offsets not Int32Array', () => native().simulate({ model: 'networkSir', theta: [0.1, 0.1, 0.1], settings: { agents: 3 }, graph: { offsets: [0, 2, 4, 6] as never, neighbours: ring3.neighbours }, replicates: 1 }), TypeError, /graph\.offsets must be an Int32Array/],
  ['native: graph of the wrong size', () => native().simulate({ model: 'networkSir', theta: [0.1, 0.1, 0.1], settings: { agents: 4 }, graph: ring3, replicates: 1 }), RangeError, /graph\.offsets must hold agents \+ 1 = 5 entries, got 4/],
  ['native: decreasing graph offsets', () => native().simulate({ model: 'networkSir', theta: [0.1, 0.1, 0.1], settings: { agents: 3 }, graph: { offsets: Int32Array.from([0, 4, 2, 6]), neighbours: ring3.neighbours }, replicates: 1 }), RangeError, /graph\.offsets\[2\] must be >= graph\.offsets\[1\] = 4, got 2/],
  ['native: neighbour out of range', () => native().simulate({ model: 'networkSir', theta: [0.1, 0.1, 0.1], settings: { agents: 3 }, graph: { offsets: ring3.offsets, neighbours: Int32Array.from([1, 2, 0, 2, 0, 3]) }, replicates: 1 }), RangeError, /graph\.neighbours\[5\] must be an agent index in \[0, 2\], got 3/],
  ['native: offsets not ending at the neighbour count', () => native().simulate({ model: 'networkSir', theta: [0.1, 0.1, 0.1], settings: { agents: 3 }, graph: { offsets: Int32Array.from([0, 2, 4, 5]), neighbours: ring3.neighbours }, replicates: 1 }), RangeError, /graph\.offsets\[3\] must equal graph\.neighbours\.length = 6, got 5/],
  ['native: intervention on an unknown parameter', () => native().simulate({ model: 'sir', theta: [0.1, 0.1, 0.1, 0.5], interventions: [{ parameter: 3, from: 1 }], replicates: 1 }), RangeError, /interventions\[0\]\.parameter must be an integer in \[0, 2\]/],
  ['native: intervention ending before it starts', () => native().simulate({ model: 'sir', theta: [0.1, 0.1, 0.1, 0.5], interventions: [{ parameter: 0, from: 5, to: 5 }], replicates: 1 }), RangeError, /interventions\[0\]\.to must be an integer in \[6, 2147483647\]/],
  ['native: intervention without its factor', () => native().simulate({ model: 'sir', theta: [0.1, 0.1, 0.1], interventions: [{ parameter: 0, from: 1 }], replicates: 1 }), RangeError, /theta must hold 4 numbers for model 'sir' \(its parameters, then one factor per intervention\)/],
  ['native: zero intervention factor', () => native().simulate({ model: 'sir', theta: [0.1, 0.1, 0.1, 0], interventions: [{ parameter: 0, from: 1 }], replicates: 1 }), RangeError, /theta\.interventions\[0\]\.factor must be a finite number > 0/],
  ['native: five interventions', () => native().simulate({ model: 'sir', theta: [0.1, 0.1, 0.1, 1, 1, 1, 1, 1], interventions: new Array(5).fill({ parameter: 0, from: 1 }), replicates: 1 }), RangeError, /interventions must hold at most 4 items, got 5/],
  ['native: unit parameter scaled above 1 in a table row', () => native().simulate({ model: 'networkSir', theta: [0.1, 0.1, 0.1, 1], settings: { agents: 3 }, graph: ring3, interventions: [{ parameter: 0, from: 1 }], thetaTable: Float64Array.from([0.1, 0.1, 0.1, 1, 0.5, 0.1, 0.1, 4]), replicates: 2 }), RangeError, /thetaTable\[1\]\.beta times its intervention factors must stay in \[0, 1\]/],
  ['networkSir: graph with a bad offset', () => models.networkSir({ graph: { nodes: 3, offsets: Int32Array.from([0, 2, 1, 6]), neighbours: ring3.neighbours } }), RangeError, /graph\.offsets\[2\]/],
  ['networkSir: agents option on a graph', () => models.networkSir({ graph: ring3, agents: 9 }), RangeError, /agents must equal the graph's 3 nodes/],
  ['graph option on a model without one', () => models.sir({ graph: ring3 } as never), TypeError, /'graph' is not an option of models\.sir/],
  ['native: wrong theta length', () => native().simulate({ model: 'volatility', theta: [1], replicates: 1 }), RangeError, /theta must hold 4 numbers/],
  ['native: tangent index out of range', () => native().simulate({ model: 'volatility', theta: [1, 1, 1, 1], tangents: [4], replicates: 1 }), RangeError, /tangents\[0\] must be an integer in \[0, 3\]/],
  ['native: too many tangents', () => native().simulate({ model: 'volatility', theta: [1, 1, 1, 1], tangents: new Array(17).fill(0), replicates: 1 }), RangeError, /at most 16/],
  ['native: request not an object', () => native().simulate(undefined as never), TypeError, /request must be an object/],
  ['gradient: no loss', () => gradient(vol, theta, {} as never), TypeError, /loss must be a loss/],
  ['gradient: unknown estimator', () => gradient(vol, theta, { loss: losses.mse([1, 2, 3, 4, 5]), estimator: 'reinforce' as never }), RangeError, /estimator must be one of/],
  ['gradient: zero step', () => gradient(vol, theta, { loss: losses.mse([1, 2, 3, 4, 5]), estimator: 'finite-difference', step: 0 }), RangeError, /step must be a finite number > 0/],
  ['gradient: observed of the wrong length', () => gradient(vol, theta, { loss: losses.mse([1, 2, 3]) }), RangeError, /observed has 3 rows but the simulation has 6 time points/],
  ['losses: observed with NaN', () => losses.mmd([1, NaN, 2]), RangeError, /observed\[1\] must be a finite number/],
  ['losses: observed typed array with Infinity', () => losses.energyDistance(Float64Array.from([1, Infinity])), RangeError, /observed\[1\] must be a finite number/],
  ['fit: zero epochs', () => fit(vol, [1, 2, 3, 4, 5], { epochs: 0 }), RangeError, /epochs must be an integer in \[1, 10000000\]/],
  ['fit: huge epochs', () => fit(vol, [1, 2, 3, 4, 5], { epochs: 1e12 }), RangeError, /epochs must be an integer in \[1, 10000000\]/],
  ['fit: fractional samples', () => fit(vol, [1, 2, 3, 4, 5], { samplesPerEpoch: 2.5 }), RangeError, /samplesPerEpoch must be an integer/],
  ['fit: NaN learning rate', () => fit(vol, [1, 2, 3, 4, 5], { lr: NaN }), RangeError, /lr must be a finite number > 0/],
  ['fit: negative weight', () => fit(vol, [1, 2, 3, 4, 5], { weight: -1 }), RangeError, /weight must be a finite number > 0/],
  ['fit: unknown family', () => fit(vol, [1, 2, 3, 4, 5], { family: 'mixture' as never }), RangeError, /family must be one of/],
  ['fit: prior outside the constraint', () => fit(vol, [1, 2, 3, 4, 5], { prior: { eta: priors.normal(0, 1) } }), RangeError, /prior\.eta: a normal prior does not match eta's constraint 'positive'/],
  ['fit: prior for an unknown parameter', () => fit(vol, [1, 2, 3, 4, 5], { prior: { beta: priors.normal(0, 1) } }), TypeError, /prior\.beta is not a free parameter/],
  ['fit: observed with NaN', () => fit(vol, [1, NaN, 3, 4, 5]), RangeError, /observed\[1\] must be a finite number/],
  ['fit: unknown parameter to calibrate', () => fit(vol, [1, 2, 3, 4, 5], { parameters: ['beta'] }), RangeError, /parameters must be names of parameters of volatility/],
  ['fit: negative seed', () => fit(vol, [1, 2, 3, 4, 5], { seed: -3 }), RangeError, /seed must be an integer in \[0, 2\^53 - 1\]/],
  ['priors: non-positive scale', () => priors.halfNormal(0), RangeError, /halfNormal\(sd\) must be a finite number > 0/],
  ['posterior.sample: fractional n', async () => (await fit(models.gaussianLocation({ steps: 3 }), [1, 2, 3], { epochs: 1 })).posterior.sample(1.5), RangeError, /sample\(n\) needs an integer n >= 1/],
  ['posteriorPredictive: zero draws', async () => posteriorPredictive(models.gaussianLocation({ steps: 3 }), (await fit(models.gaussianLocation({ steps: 3 }), [1, 2, 3], { epochs: 1 })).posterior, 0), RangeError, /sample\(n\) needs an integer n >= 1/],
  ['simulate: nonFinite option', () => simulate(vol, theta, { nonFinite: 'ignore' as never }), RangeError, /nonFinite must be 'error' or 'keep'/],
  ['simulate: empty list of points', () => simulate(vol, []), RangeError, /theta must hold at least one parameter point/],
  ['native: bad cancel flag', () => native().simulate({ model: 'randomWalk', theta: [0.5], replicates: 1, cancel: new Float32Array(1) as never }), TypeError, /cancel must be an Int32Array/],
];

for (const [name, run, type, message] of cases) {
  test(`bad input is rejected with ${type.name}: ${name}`, async (t) => {
    const error = await t.throwsAsync(async () => run());
    t.true(error instanceof type, `${error?.constructor.name}: ${error?.message}`);
    t.regex(error!.message, message);
  });
}

for (const threads of [1, 2]) {
  test(`an AbortSignal stops a running simulation on ${threads} thread(s) with an AbortError, and the next run is unaffected`, async (t) => {
    const controller = new AbortController();
    const running = simulate(models.volatility({ agents: 1000, steps: 1000 }), theta, { replicates: 2000, signal: controller.signal, threads });
    setTimeout(() => controller.abort(), 50);
    const error = await t.throwsAsync(running);
    t.is(error?.name, 'AbortError');
    const aborted = AbortSignal.abort();
    t.is((await t.throwsAsync(simulate(vol, theta, { signal: aborted })))?.name, 'AbortError');
    const after = await simulate(vol, theta, { replicates: 8, seed: 3, threads });
    const alone = await simulate(vol, theta, { replicates: 8, seed: 3, threads: 1 });
    t.deepEqual(Array.from(after.values), Array.from(alone.values));
  });
}
