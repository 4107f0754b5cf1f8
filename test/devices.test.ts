// The `devices` option (several CUDA devices in one process): its validation, and what it does on a
// machine without a usable CUDA device (backend 'auto' runs on the CPU and leaves it unused). The
// split over devices itself needs GPUs: the GPU check covers it (docs/gpu-check.md, split requests).
import test from 'ava';

import { backendInfo, gradient, losses, models, simulate, type SimulateOptions } from '../lib/index.js';

const model = models.volatility({ agents: 50, steps: 10 });
const theta = { muLN: 1, sigmaLN: 0.5, sigmaEps: 1, eta: 0.7 };
const info = backendInfo();
const allowed = /devices must be 'all' or a non-empty array of distinct CUDA device indices/;
const indexRule = (i: number) => new RegExp(`devices\\[${i}\\] must be a CUDA device index, an integer from 0 to the number of visible devices - 1`);

type Case = [string, unknown, typeof TypeError | typeof RangeError, RegExp[]];

const cases: Case[] = [
  ['another string', 'every', RangeError, [allowed, /got the string 'every'/]],
  ['a number', 0, TypeError, [allowed, /got 0$/]],
  ['an object', { all: true }, TypeError, [allowed, /got an object$/]],
  ['null', null, TypeError, [allowed, /got null$/]],
  ['an empty list', [], RangeError, [allowed, /got an empty array$/]],
  ['a negative index', [-1], RangeError, [indexRule(0), /got -1$/]],
  ['a fractional index', [0, 1.5], RangeError, [indexRule(1), /got 1\.5$/]],
  ['a NaN index', [NaN], RangeError, [indexRule(0), /got nan$/]],
  ['an infinite index', [Infinity], RangeError, [indexRule(0), /got inf$/]],
  ['an index far beyond any machine', [65536], RangeError, [indexRule(0), /got 65536$/]],
  ['an index as a string', ['0'], TypeError, [indexRule(0), /got the string '0'$/]],
  ['a repeated index', [1, 0, 1], RangeError, [/^devices lists device 1 twice$/]],
];

for (const [label, devices, type, messages] of cases) {
  test(`devices: ${label} is a ${type.name}`, async (t) => {
    const error = await t.throwsAsync(simulate(model, theta, { devices } as unknown as SimulateOptions), { instanceOf: type });
    for (const message of messages) t.regex(error!.message, message);
  });
}

for (const devices of ['all', [0]] as const) {
  test(`devices ${JSON.stringify(devices)} with backend 'cpu' is a TypeError that says what to do`, async (t) => {
    const error = await t.throwsAsync(simulate(model, theta, { devices, backend: 'cpu' }), { instanceOf: TypeError });
    t.is(error!.message, "devices chooses CUDA devices and cannot go with backend 'cpu'; leave devices out, or use backend 'cuda' or 'auto'");
  });
}

test('gradient passes devices on to simulate', async (t) => {
  const observed = (await simulate(model, theta, { seed: 1 })).values;
  const error = await t.throwsAsync(
    gradient(model, theta, { loss: losses.mse(observed), replicates: 2, devices: [0], backend: 'cpu' }),
    { instanceOf: TypeError },
  );
  t.regex(error!.message, /devices chooses CUDA devices/);
});

test('backendInfo counts the visible CUDA devices', (t) => {
  const count = info.cuda.deviceCount;
  t.true(Number.isInteger(count) && count >= 0, `deviceCount ${count}`);
  if (!info.cuda.compiled) t.is(count, 0);
  if (info.cuda.available) t.true(count >= 1);
});

// Each of the next two runs on one kind of machine and is reported as skipped on the other.
(info.cuda.available ? test.skip : test)("without a usable CUDA device, backend 'auto' runs on the CPU and leaves devices unused", async (t) => {
  const options = { replicates: 6, seed: 11, tangents: ['eta'], backend: 'auto' } as const;
  const plain = await simulate(model, theta, options);
  t.is(plain.backend, 'cpu');
  for (const devices of ['all', [0], [0, 1], [7]] as const) {
    const sim = await simulate(model, theta, { ...options, devices });
    t.is(sim.backend, 'cpu', JSON.stringify(devices));
    t.deepEqual(sim.values, plain.values, JSON.stringify(devices));
    t.deepEqual(sim.tangents, plain.tangents, JSON.stringify(devices));
  }
  // backend 'cuda' still says that there is no device, whatever devices asks for.
  const error = await t.throwsAsync(simulate(model, theta, { ...options, backend: 'cuda', devices: 'all' }));
  t.regex(error!.message, /backend 'cuda' is not available: .+; use backend 'cpu' or 'auto'/);
});

(info.cuda.available ? test : test.skip)('with CUDA devices, every visible device gives bitwise the numbers of device 0, and an index past them is a RangeError', async (t) => {
  const options = { replicates: 13, seed: 5, tangents: true, backend: 'cuda', discrete: { mode: 'score' } } as const;
  const one = await simulate(model, theta, { ...options, devices: [0] });
  const all = await simulate(model, theta, { ...options, devices: 'all' });
  t.is(all.backend, 'cuda');
  t.deepEqual(all.values, one.values);
  t.deepEqual(all.tangents, one.tangents);
  t.deepEqual(all.logProb, one.logProb);
  const count = info.cuda.deviceCount;
  const error = await t.throwsAsync(simulate(model, theta, { ...options, devices: [count] }), { instanceOf: RangeError });
  t.regex(error!.message, new RegExp(`^devices\\[0\\] is ${count}, but this process sees ${count} CUDA device`));
});
