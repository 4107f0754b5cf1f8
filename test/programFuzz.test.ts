// Fuzzing the program boundary: the addon receives a model program as plain data and must reject
// every malformed one with a TypeError/RangeError before it runs, and run every well-formed one to
// numbers. Mutations of real programs (words, kinds, constants, lengths, types) must never crash
// the process, hang, or leave a run half-done.
import test from 'ava';
import fc from 'fast-check';

import { defineModel, type NativeProgram } from '../lib/index.js';
import { native } from '../lib/native.js';

// Every kind of instruction: agent and replicate code, sums of several totals, loops, selects,
// every draw, state, a helper, and a graph read.
const everything = defineModel({
  name: 'everything',
  parameters: { a: { constraint: 'positive', reference: 0.5 }, b: { constraint: 'unit', reference: 0.3 } },
  settings: { agents: 40, steps: 6, k: { default: 3, min: 0, max: 5, integer: true } },
  agent: ['x', 'y'],
  state: ['level'],
  outputs: ['mean', 'spread', 'level'],
  helpers: { squash(v: number) { return v / (1 + Math.abs(v)); } },
  init(m) {
    m.forEachAgent((a) => { a.x = m.normal(m.params.a, 1); a.y = m.bernoulli(m.params.b); });
    m.state.level = m.commonNormal();
    m.output({ mean: m.sum((a) => a.x) / m.agents, spread: 0, level: m.state.level });
  },
  step(m) {
    let total = 0;
    for (let i = 0; i < m.settings.k; i++) total += m.uniform();
    const { sx, sy } = m.sum((a) => {
      const near = m.neighbours(a).sum((b) => b.y);
      const pick = m.categorical([m.params.b, 1 - m.params.b, 0.25]);
      const up = m.above(a.x, m.params.a) * Math.exp(-near / 10);
      a.x = a.x > 2 ? m.helpers.squash(a.x) : a.x + up + pick * Math.tanh(m.params.a);
      a.y = Math.max(0, Math.min(1, a.y + m.bernoulli(m.params.b * 0.5) - 0.5));
      return { sx: a.x, sy: Math.sqrt(a.y + 1) * Math.log1p(m.params.a) };
    });
    m.state.level = m.state.level + total / (m.t + 1) - Math.pow(m.params.a, 2);
    m.output({ mean: sx / m.agents, spread: sy, level: m.state.level });
  },
});

const model = everything();
const program = model.program!;
const words = (program.init.length + program.step.length) / 5;

function request(p: unknown, mode: string, dtype: string) {
  return {
    program: p, theta: [0.5, 0.3], settings: { ...model.settings }, graph: { offsets: model.graph!.offsets, neighbours: model.graph!.neighbours },
    tangents: [0, 1], replicates: 2, seed: 3, discrete: { mode }, dtype, backend: 'cpu',
  } as never;
}

async function runsOrRejects(p: unknown, mode = 'straight-through', dtype = 'float64'): Promise<'ran' | 'rejected'> {
  try {
    const result = await native().simulate(request(p, mode, dtype));
    if (!(result.values.length > 0)) throw new Error('a run returned no values');
    return 'ran';
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) return 'rejected';
    throw error;
  }
}

test('the fuzzed model program itself runs, in every mode and dtype', async (t) => {
  for (const mode of ['exact', 'relaxed', 'straight-through', 'smoothed', 'score']) {
    for (const dtype of ['float32', 'float64']) t.is(await runsOrRejects(program, mode, dtype), 'ran', `${mode} ${dtype}`);
  }
  t.true(words > 60);
});

const blocks = ['init', 'step'] as const;

// A copy of the program with one word of one block replaced.
function withWord(block: (typeof blocks)[number], index: number, word: number): NativeProgram {
  const code = Int32Array.from(program[block]);
  code[index % code.length] = word;
  return { ...program, [block]: code };
}

const interestingWord = fc.oneof(
  fc.integer({ min: -3, max: 80 }),
  fc.constantFrom(-2147483648, 2147483647, 4095, 4096, 32768, 65536),
  fc.integer(),
);

test('any one word of the code replaced: it runs or is rejected with a RangeError', async (t) => {
  let rejected = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...blocks), fc.nat(), interestingWord, async (block, index, word) => {
      const outcome = await runsOrRejects(withWord(block, index, word));
      if (outcome === 'rejected') rejected += 1;
      return true;
    }),
    { numRuns: 1500, seed: 11 },
  );
  t.true(rejected > 300, `${rejected} of 1500 mutations rejected`);
});

test('several words replaced at once, kinds and constants broken: runs or is rejected', async (t) => {
  const mutation = fc.record({
    words: fc.array(fc.tuple(fc.constantFrom(...blocks), fc.nat(), interestingWord), { minLength: 2, maxLength: 6 }),
    kind: fc.option(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 5 }))),
    field: fc.option(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 3 }))),
    constant: fc.option(fc.tuple(fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -0, 40000, 2.5))),
  });
  await fc.assert(
    fc.asyncProperty(mutation, async (m) => {
      let p: NativeProgram = program;
      for (const [block, index, word] of m.words) {
        const code = Int32Array.from(p[block]);
        code[index % code.length] = word;
        p = { ...p, [block]: code };
      }
      if (m.kind) p = { ...p, registers: replaced(p.registers, m.kind[0], m.kind[1]) };
      if (m.field) p = { ...p, fields: replaced(p.fields, m.field[0], m.field[1]) };
      if (m.constant && p.constants.length > 0) {
        const constants = Float64Array.from(p.constants);
        constants[m.constant[0] % constants.length] = m.constant[1];
        p = { ...p, constants };
      }
      await runsOrRejects(p);
      return true;
    }),
    { numRuns: 600, seed: 12 },
  );
  t.pass();
});

function replaced(array: Int32Array, index: number, value: number): Int32Array {
  const copy = Int32Array.from(array);
  if (copy.length > 0) copy[index % copy.length] = value;
  return copy;
}

test('truncated, overlong and mistyped parts are rejected with the part named', async (t) => {
  const cases: [Partial<Record<keyof NativeProgram, unknown>>, RegExp][] = [
    [{ step: program.step.subarray(0, program.step.length - 3) }, /program\.step must hold 5 words per instruction/],
    [{ init: new Float64Array(5) }, /program\.init must be an Int32Array/],
    [{ registers: Array.from(program.registers) }, /program\.registers must be an Int32Array/],
    [{ registers: new Int32Array(5000) }, /program\.registers holds at most 4096/],
    [{ constants: new Float32Array(2) }, /program\.constants must be a Float64Array/],
    [{ outputs: [] }, /program\.outputs must hold 1 to 32 names/],
    [{ parameters: [{ name: 'a', constraint: 'bounded', reference: 1 }] }, /program\.parameters\[0\]\.constraint must be 'real', 'positive' or 'unit'/],
    [{ settings: [{ name: 'steps', default: 3, min: 1, max: 9, integer: true }, { name: 'agents', default: 3, min: 1, max: 9, integer: true }] }, /must start with 'agents' and 'steps'/],
    [{ name: '' }, /program\.name must be a name of 1 to 256 characters/],
    [{ step: Int32Array.from([60, 0, 1000, 0, 0]) }, /program\.step\[0\] \(AGENT_LOOP\): body length 1000 runs past its block/],
  ];
  for (const [change, message] of cases) {
    const error = await t.throwsAsync(async () => native().simulate(request({ ...program, ...change }, 'exact', 'float64')));
    t.true(error instanceof TypeError || error instanceof RangeError, String(error));
    t.regex(error!.message, message);
  }
  t.is(await runsOrRejects(null), 'rejected');
  t.is(await runsOrRejects(42), 'rejected');
});

test('a program that never writes an output, or reads an agent register early, is rejected before it runs', async (t) => {
  const noOutput = { ...program, outputs: [...program.outputs, 'extra'] };
  await t.throwsAsync(async () => native().simulate(request(noOutput, 'exact', 'float64')), { instanceOf: RangeError, message: /init never writes output 'extra'/ });
  // Register 0 read as an agent register before any write in the first agent loop.
  const registers = Int32Array.from(program.registers);
  const loopAt = Array.from({ length: program.step.length / 5 }, (_, i) => program.step[5 * i]).indexOf(60);
  const step = Int32Array.from(program.step);
  step.set([20, step[5 * (loopAt + 1) + 1]!, registers.length, 0, 0], 5 * (loopAt + 1));
  const early = { ...program, registers: Int32Array.from([...registers, 2]), step };
  await t.throwsAsync(async () => native().simulate(request(early, 'exact', 'float64')), { instanceOf: RangeError, message: /is read before this agent loop writes it|register/ });
});

test('a replicate register read and then written inside an agent loop is rejected: it would pass from tile to tile', async (t) => {
  const base = {
    name: 'carry', parameters: [{ name: 'a', constraint: 'real', reference: 0 }],
    settings: [{ name: 'agents', default: 600, min: 1, max: 1e8, integer: true }, { name: 'steps', default: 2, min: 1, max: 1e6, integer: true }],
    outputs: ['count'], fields: new Int32Array(0), states: new Int32Array(0), registers: Int32Array.from([0, 0]), constants: Float64Array.from([1]),
    step: new Int32Array(0),
  };
  const program = (loopBody: number[]) => ({
    ...base,
    init: Int32Array.from([1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 60, 0, 1, 0, 0, ...loopBody, 13, 0, 0, 0, 0]),
  });
  const request = (p: unknown) => ({ program: p, theta: [0], replicates: 1, backend: 'cpu' }) as never;
  // count = count + one, once per agent: rejected.
  await t.throwsAsync(async () => native().simulate(request(program([22, 0, 0, 1, 0]))), {
    instanceOf: RangeError, message: /program\.init\[3\] \(ADD\): replicate register 0 is read and then written inside an agent loop/ });
  // one = one + one with the write first: allowed, and the same on every tile (600 agents, 3 tiles).
  const sim = await native().simulate(request(program([22, 1, 0, 0, 0])));
  t.deepEqual(Array.from(sim.values), [1, 1, 1]);
});
