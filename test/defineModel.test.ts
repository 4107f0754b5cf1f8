// defineModel: the programs it lowers, instruction by instruction (through describeProgram, whose
// own reading of the words is checked once against the raw words), the kinds it infers, draw
// sites, loops, ifs, helpers, and the Models its factories make.
import test from 'ava';

import { defineModel, describeProgram, isModelFactory, models, withIntervention, type ModelFactory } from '../lib/index.js';
import { kirmanAnts } from '../examples/kirmanAnts.js';  // the model of the issue, as written there

/** The listing of a factory's program with the field and state names of its spec. */
function listing(factory: ModelFactory<string>, fields: string[] = [], states: string[] = []): string[] {
  return describeProgram(factory.program, { fields, states });
}

test('kirmanAnts lowers to the expected program, instruction by instruction', (t) => {
  t.deepEqual(listing(kirmanAnts, ['choice']), [
    'init[0] AGENT_LOOP body 3 forEach',
    'init[1]   r0:R = CONST 0.5',
    'init[2]   r1:A = BERNOULLI r0 site 0',          // a real probability gives a real draw, per agent
    'init[3]   FIELD_SET choice r1',
    'init[4] AGENT_LOOP body 2 sum accumulators 1',
    'init[5]   r2:AD = FIELD_GET choice',             // choice is dual: step assigns it a dual value
    'init[6]   ACCUMULATE acc 0 r2',
    'init[7] r3:RD = SUM_RESULT acc 0',
    'init[8] r4:R = AGENT_COUNT',
    'init[9] r5:RD = DIV r3 r4',
    'init[10] OUTPUT share r5',
    'step[0] AGENT_LOOP body 2 sum accumulators 1',
    'step[1]   r6:AD = FIELD_GET choice',
    'step[2]   ACCUMULATE acc 0 r6',
    'step[3] r7:RD = SUM_RESULT acc 0',
    'step[4] r8:R = AGENT_COUNT',
    'step[5] r9:RD = DIV r7 r8',                      // const share: bound to this register
    'step[6] AGENT_LOOP body 25 forEach',
    'step[7]   r10:AD = FIELD_GET choice',
    'step[8]   r11:R = CONST 1',                      // replicate-level work stays replicate in the loop
    'step[9]   r12:RD = SUB r11 r9',
    'step[10]   r13:AD = MUL r10 r12',
    'step[11]   r14:R = CONST 1',
    'step[12]   r15:AD = FIELD_GET choice',
    'step[13]   r16:AD = SUB r14 r15',
    'step[14]   r17:AD = MUL r16 r9',
    'step[15]   r18:AD = ADD r13 r17',
    'step[16]   r19:R = CONST 1',
    'step[17]   r20:RD = PARAM epsilon',
    'step[18]   r21:RD = PARAM h',
    'step[19]   r22:AD = MUL r21 r18',
    'step[20]   r23:AD = ADD r20 r22',
    'step[21]   r24:AD = MIN r19 r23',
    'step[22]   r25:AD = BERNOULLI r24 site 1',
    'step[23]   r26:AD = FIELD_GET choice',
    'step[24]   r27:R = CONST 1',
    'step[25]   r28:R = CONST 2',
    'step[26]   r29:AD = FIELD_GET choice',
    'step[27]   r30:AD = MUL r28 r29',
    'step[28]   r31:AD = SUB r27 r30',
    'step[29]   r32:AD = MUL r25 r31',
    'step[30]   r33:AD = ADD r26 r32',
    'step[31]   FIELD_SET choice r33',
    'step[32] AGENT_LOOP body 2 sum accumulators 1',
    'step[33]   r34:AD = FIELD_GET choice',
    'step[34]   ACCUMULATE acc 0 r34',
    'step[35] r35:RD = SUM_RESULT acc 0',
    'step[36] r36:R = AGENT_COUNT',
    'step[37] r37:RD = DIV r35 r36',
    'step[38] OUTPUT share r37',
  ]);
  const { program } = kirmanAnts;
  t.deepEqual(Array.from(program.constants), [0.5, 1, 2]);
  t.deepEqual(Array.from(program.fields), [1]);
  t.deepEqual(Array.from(program.states), []);
  t.is(program.registers.length, 38);
  t.deepEqual(program.outputs, ['share']);
  t.deepEqual(program.parameters, [{ name: 'epsilon', constraint: 'unit', reference: 0.01 }, { name: 'h', constraint: 'unit', reference: 0.3 }]);
  t.deepEqual(program.settings, [
    { name: 'agents', default: 100, min: 1, max: 1e8, integer: true },
    { name: 'steps', default: 500, min: 1, max: 1e6, integer: true },
  ]);
});

test('describeProgram reads the raw words: [op, dst, a, b, c]', (t) => {
  const { init, registers } = kirmanAnts.program;
  t.deepEqual(Array.from(init.subarray(0, 20)), [
    60, 0, 3, 0, 0, // AGENT_LOOP, body 3, forEach
    1, 0, 0, 0, 0, //  CONST r0 = constants[0]
    53, 1, 0, 0, 0, // BERNOULLI r1, p r0, site 0
    11, 0, 0, 1, 0, // FIELD_SET field 0 = r1
  ]);
  t.deepEqual(Array.from(init.subarray(20, 35)), [60, 0, 2, 1, 1, 10, 2, 0, 0, 0, 61, 0, 0, 2, 0]);
  t.deepEqual(Array.from(registers.subarray(0, 6)), [0, 2, 3, 1, 0, 1]);
});

test('fields and state variables are dual exactly when some assignment gives them a dual value', (t) => {
  const factory = defineModel({
    name: 'kinds',
    parameters: { mu: { constraint: 'real', reference: 0 } },
    settings: { level: 2 },
    agent: ['counted', 'noisy', 'tallied'],
    state: ['clock', 'drift'],
    outputs: ['y'],
    init(m) {
      m.forEachAgent((a) => { a.noisy = 0; a.tallied = a.counted; });
      m.output({ y: 0 });
    },
    step(m) {
      m.state.clock = m.t + m.settings.level;
      m.state.drift = m.state.drift + m.params.mu;
      m.forEachAgent((a) => {
        a.counted = a.counted + m.uniform();
        a.noisy = m.normal(m.params.mu, 1);
      });
      m.output({ y: m.state.clock });
    },
  });
  t.deepEqual(Array.from(factory.program.fields), [0, 1, 0]);
  t.deepEqual(Array.from(factory.program.states), [0, 1]);
  // init reads counted (real) into a real agent register, before step's dual write to noisy.
  t.true(listing(factory, ['counted', 'noisy', 'tallied']).includes('init[3]   r1:A = FIELD_GET counted'));
});

test('a let takes the widest kind assigned anywhere, and real values are promoted into it', (t) => {
  const factory = defineModel({
    name: 'widening',
    parameters: { mu: { constraint: 'real', reference: 0 } },
    outputs: ['y'],
    init(m) { m.output({ y: 0 }); },
    step(m) {
      let x = 1;
      x = x * 2;
      x = m.params.mu;
      m.output({ y: x });
    },
  });
  t.deepEqual(listing(factory), [
    'init[0] r0:R = CONST 0',
    'init[1] OUTPUT y r0',
    'step[0] r1:R = CONST 1',
    'step[1] r2:RD = COPY r1',      // x is dual: the later assignment of a parameter widens it
    'step[2] r3:R = CONST 2',
    'step[3] r2:RD = MUL r2 r3',
    'step[4] r2:RD = PARAM mu',     // the write goes straight into x's register
    'step[5] OUTPUT y r2',
  ]);
});

test('comparisons are real, draws of real probabilities are real, and per agent inside agent loops', (t) => {
  const factory = defineModel({
    name: 'draws',
    parameters: { p: { constraint: 'unit', reference: 0.5 } },
    agent: ['x'],
    outputs: ['y'],
    init(m) { m.output({ y: m.bernoulli(m.params.p) + m.uniform() + (m.params.p > 0.5 ? 1 : 0) }); },
    step(m) {
      m.forEachAgent((a) => { a.x = m.bernoulli(0.3) + m.commonNormal(); });
    },
  });
  t.deepEqual(listing(factory, ['x']), [
    'init[0] r0:RD = PARAM p',
    'init[1] r1:RD = BERNOULLI r0 site 0',   // dual probability: dual draw, per replicate
    'init[2] r2:R = UNIFORM site 1',
    'init[3] r3:RD = ADD r1 r2',
    'init[4] r4:RD = PARAM p',
    'init[5] r5:R = CONST 0.5',
    'init[6] r6:R = GT r4 r5',               // a comparison of a dual is real
    'init[7] r7:R = CONST 1',
    'init[8] r8:R = CONST 0',
    'init[9] r9:R = SELECT r6 r7 r8',
    'init[10] r10:RD = ADD r3 r9',
    'init[11] OUTPUT y r10',
    'step[0] AGENT_LOOP body 7 forEach',
    'step[1]   r11:R = CONST 0.3',
    'step[2]   r12:A = BERNOULLI r11 site 2',  // per agent although p is the same for all
    'step[3]   r13:R = CONST 0',
    'step[4]   r14:R = CONST 1',
    'step[5]   r15:R = COMMON_NORMAL r13 r14 site 3',  // one per replicate and step, even in the loop
    'step[6]   r16:A = ADD r12 r15',
    'step[7]   FIELD_SET x r16',
  ]);
});

test('a draw inside a for loop sits inside the LOOP, and the counter reads LOOP_INDEX', (t) => {
  const factory = defineModel({
    name: 'looped',
    parameters: { sd: { constraint: 'positive', reference: 1 } },
    settings: { rounds: { default: 3, min: 0, max: 100, integer: true } },
    state: ['x'],
    outputs: ['x'],
    init(m) { m.output({ x: 0 }); },
    step(m) {
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < m.settings.rounds; j++) {
          m.state.x = m.state.x + m.normal(i * j, m.params.sd);
        }
      }
      m.output({ x: m.state.x });
    },
  });
  t.deepEqual(listing(factory, [], ['x']).filter((line) => line.startsWith('step')), [
    'step[0] LOOP body 9 × 4',
    'step[1]   LOOP body 8 × settings.rounds',
    'step[2]     r1:RD = STATE_GET x',
    'step[3]     r2:R = LOOP_INDEX depth 0',
    'step[4]     r3:R = LOOP_INDEX depth 1',
    'step[5]     r4:R = MUL r2 r3',
    'step[6]     r5:RD = PARAM sd',
    'step[7]     r6:RD = NORMAL r4 r5 site 0',
    'step[8]     r7:RD = ADD r1 r6',
    'step[9]     STATE_SET x r7',
    'step[10] r8:RD = STATE_GET x',
    'step[11] OUTPUT x r8',
  ]);
});

test('draws without a stream take the lowest sites no explicit stream takes, in source order from init to step', (t) => {
  const factory = defineModel({
    name: 'streams',
    parameters: { p: { constraint: 'unit', reference: 0.5 } },
    outputs: ['y'],
    init(m) { m.output({ y: m.uniform() + m.uniform({ stream: 0 }) }); },
    step(m) { m.output({ y: m.uniform({ stream: 0 }) + m.normal(0, 1) + m.uniform({ stream: 2 }) + m.categorical([0.5, m.params.p]) }); },
  });
  const sites = listing(factory).flatMap((line) => /(UNIFORM|NORMAL|CATEGORICAL).* site (\d+)$/.exec(line)?.slice(1) ?? []);
  t.deepEqual(sites, ['UNIFORM', '1', 'UNIFORM', '0', 'UNIFORM', '0', 'NORMAL', '3', 'UNIFORM', '2', 'CATEGORICAL', '4']);
});

test('an if on settings and m.t becomes selects of everything it assigns, else branch included', (t) => {
  const factory = defineModel({
    name: 'guarded',
    parameters: { p: { constraint: 'unit', reference: 0.5 } },
    settings: { warmup: { default: 5, integer: true } },
    agent: ['x'],
    state: ['s'],
    outputs: ['y'],
    init(m) { m.output({ y: 0 }); },
    step(m) {
      let y = 0;
      if (m.t > m.settings.warmup) {
        y = m.params.p;
        m.state.s = 1;
        m.forEachAgent((a) => { a.x = 2; });
      } else {
        y = 3;
      }
      m.output({ y });
    },
  });
  t.deepEqual(listing(factory, ['x'], ['s']).filter((line) => line.startsWith('step')), [
    'step[0] r1:R = CONST 0',
    'step[1] r2:RD = COPY r1',
    'step[2] r3:R = STEP',
    'step[3] r4:R = SETTING warmup',
    'step[4] r5:R = GT r3 r4',
    'step[5] r6:RD = PARAM p',
    'step[6] r2:RD = SELECT r5 r6 r2',
    'step[7] r7:R = CONST 1',
    'step[8] r8:R = STATE_GET s',
    'step[9] r9:R = SELECT r5 r7 r8',
    'step[10] STATE_SET s r9',
    'step[11] AGENT_LOOP body 4 forEach',
    'step[12]   r10:R = CONST 2',
    'step[13]   r11:A = FIELD_GET x',
    'step[14]   r12:A = SELECT r5 r10 r11',
    'step[15]   FIELD_SET x r12',
    'step[16] r13:R = NOT r5',
    'step[17] r14:R = CONST 3',
    'step[18] r2:RD = SELECT r13 r14 r2',
    'step[19] OUTPUT y r2',
  ]);
});

test('helpers are inlined at every call, each draw in them a site of its own', (t) => {
  const factory = defineModel({
    name: 'helped',
    parameters: { p: { constraint: 'unit', reference: 0.5 } },
    outputs: ['y'],
    helpers: { flip(p) { return 2 * Math.max(0, p) - 1; } },
    init(m) { m.output({ y: 0 }); },
    step(m) {
      const coin = (q: number) => m.bernoulli(q);
      function both(q: number) { return coin(q) + coin(1 - q); }
      m.output({ y: m.helpers.flip(both(m.params.p)) });
    },
  });
  t.deepEqual(listing(factory).filter((line) => line.startsWith('step')), [
    'step[0] r1:RD = PARAM p',
    'step[1] r2:RD = BERNOULLI r1 site 0',
    'step[2] r3:R = CONST 1',
    'step[3] r4:RD = SUB r3 r1',
    'step[4] r5:RD = BERNOULLI r4 site 1',
    'step[5] r6:RD = ADD r2 r5',
    'step[6] r7:R = CONST 2',
    'step[7] r8:R = CONST 0',
    'step[8] r9:RD = MAX r8 r6',
    'step[9] r10:RD = MUL r7 r9',
    'step[10] r11:R = CONST 1',
    'step[11] r12:RD = SUB r10 r11',
    'step[12] OUTPUT y r12',
  ]);
});

test('m.sum of an object totals each value in one agent loop', (t) => {
  const factory = defineModel({
    name: 'totals',
    parameters: { p: { constraint: 'unit', reference: 0.5 } },
    agent: ['x'],
    outputs: ['mean'],
    init(m) {
      const { total, count } = m.sum((a) => {
        a.x = m.bernoulli(m.params.p);
        return { total: a.x, count: 1 };
      });
      m.output({ mean: total / count });
    },
    step() {},
  });
  t.deepEqual(listing(factory, ['x']), [
    'init[0] AGENT_LOOP body 7 sum accumulators 2',
    'init[1]   r0:RD = PARAM p',
    'init[2]   r1:AD = BERNOULLI r0 site 0',
    'init[3]   FIELD_SET x r1',
    'init[4]   r2:AD = FIELD_GET x',
    'init[5]   r3:R = CONST 1',
    'init[6]   ACCUMULATE acc 0 r2',
    'init[7]   ACCUMULATE acc 1 r3',
    'init[8] r4:RD = SUM_RESULT acc 0',
    'init[9] r5:R = SUM_RESULT acc 1',
    'init[10] r6:RD = DIV r4 r5',
    'init[11] OUTPUT mean r6',
  ]);
});

test('a categorical draw reads its probabilities from consecutive registers', (t) => {
  const factory = defineModel({
    name: 'choice',
    parameters: { p: { constraint: 'unit', reference: 0.5 } },
    outputs: ['k'],
    init(m) { m.output({ k: m.categorical([m.params.p, 1 - m.params.p, 0.1], { stream: 9 }) }); },
    step() {},
  });
  t.deepEqual(listing(factory), [
    'init[0] r0:RD = PARAM p',
    'init[1] r1:R = CONST 1',
    'init[2] r2:RD = PARAM p',
    'init[3] r3:RD = SUB r1 r2',
    'init[4] r4:R = CONST 0.1',
    'init[5] r5:RD = COPY r0',
    'init[6] r6:RD = COPY r3',
    'init[7] r7:R = COPY r4',
    'init[8] r8:RD = CATEGORICAL r5 count 3 site 9',
    'init[9] OUTPUT k r8',
  ]);
});

const contagion = defineModel({
  name: 'contagion',
  parameters: { beta: { constraint: 'unit', reference: 0.1 } },
  settings: { agents: 50, steps: 10 },
  agent: ['infected'],
  outputs: ['infected'],
  init: (m) => {
    m.forEachAgent((a) => { a.infected = a.index === 0 ? 1 : 0; });
    m.output({ infected: 1 });
  },
  step: function (m) {
    const total = m.sum((a) => {
      const pressure = m.neighbours(a).sum((b) => b.infected);
      a.infected = a.infected + (1 - a.infected) * m.bernoulli(1 - Math.pow(1 - m.params.beta, pressure));
      return a.infected;
    });
    m.output({ infected: total });
  },
});

test('arrow functions and function expressions lower like methods; neighbour sums read a field', (t) => {
  const step = listing(contagion, ['infected']).filter((line) => line.startsWith('step'));
  t.is(step[1], 'step[1]   r7:AD = NEIGHBOUR_SUM infected');
  t.true(contagion.usesGraph);
  t.false(kirmanAnts.usesGraph);
});

test('a model that reads neighbours takes a graph, or builds the default small world', (t) => {
  const model = contagion({ agents: 30 });
  t.is(model.graph?.nodes, 30);
  t.is(model.graph?.neighbours.length, 300);                 // Watts–Strogatz, k = 10
  t.deepEqual(model.graph, models.networkSir({ agents: 30 }).graph);
  const ring3 = { nodes: 3, offsets: Int32Array.from([0, 2, 4, 6]), neighbours: Int32Array.from([1, 2, 0, 2, 0, 1]) };
  t.is(contagion({ graph: ring3 }).agents, 3);
  t.throws(() => contagion({ graph: ring3, agents: 4 }), { instanceOf: RangeError, message: /agents must equal the graph's 3 nodes/ });
  t.throws(() => kirmanAnts({ graph: ring3 }), { instanceOf: TypeError, message: "'graph' is not an option of kirmanAnts; options are agents, steps" });
});

test('the factory makes frozen Models carrying the program, like the built-in factories', (t) => {
  const model = kirmanAnts({ agents: 1000 });
  t.true(Object.isFrozen(model));
  t.is(model.name, 'kirmanAnts');
  t.is(model.agents, 1000);
  t.is(model.steps, 500);
  t.deepEqual(model.settings, { agents: 1000, steps: 500 });
  t.deepEqual(model.reference, { epsilon: 0.01, h: 0.3 });
  t.deepEqual(model.parameters.map((p) => p.constraint), ['unit', 'unit']);
  t.deepEqual(model.outputs, ['share']);
  t.deepEqual(model.interventions, []);
  t.is(model.program, kirmanAnts.program);
  t.is(model.graph, undefined);
  t.is(kirmanAnts.name, 'kirmanAnts');
  t.is(withIntervention(model, { parameter: 'h', name: 'hFactor', from: 10 }).program, kirmanAnts.program);
});

test('defaults: agents 1000 and steps 100 unless given; own settings any number unless bounded', (t) => {
  const factory = defineModel({
    name: 'plain',
    parameters: { p: { constraint: 'real', reference: -1 } },
    settings: { rate: 0.5 },
    outputs: ['y'],
    init(m) { m.output({ y: m.settings.rate }); },
    step() {},
  });
  t.deepEqual(factory().settings, { agents: 1000, steps: 100, rate: 0.5 });
  t.is(factory({ rate: -1e200 }).settings['rate'], -1e200);
  t.deepEqual(factory.program.settings[2], { name: 'rate', default: 0.5, min: -1e300, max: 1e300, integer: false });
});

test('isModelFactory accepts factories, not Models or other functions', (t) => {
  t.true(isModelFactory(kirmanAnts));
  t.false(isModelFactory(kirmanAnts()));
  t.false(isModelFactory(models.volatility));
  t.false(isModelFactory(() => kirmanAnts()));
});

test('operators, Math functions and constants, thresholds and compound assignments', (t) => {
  const factory = defineModel({
    name: 'arithmetic',
    parameters: { k: { constraint: 'positive', reference: 2 } },
    agent: ['x'],
    state: ['s'],
    outputs: ['y'],
    init(m) {
      m.state.s *= 2;
      m.forEachAgent((a) => { a.x += m.above(a.x, Math.PI); });
      let n = 0;
      n++;
      m.output({ y: -(m.params.k ** 2) + Math.max(n, Math.E, !n ? 1 : 0) });
    },
    step() {},
  });
  t.deepEqual(listing(factory, ['x'], ['s']), [
    'init[0] r0:R = STATE_GET s',
    'init[1] r1:R = CONST 2',
    'init[2] r2:R = MUL r0 r1',
    'init[3] STATE_SET s r2',
    'init[4] AGENT_LOOP body 6 forEach',
    'init[5]   r3:A = FIELD_GET x',
    'init[6]   r4:A = FIELD_GET x',
    'init[7]   r5:R = CONST 3.141592653589793',
    'init[8]   r6:A = ABOVE r4 r5',
    'init[9]   r7:A = ADD r3 r6',
    'init[10]   FIELD_SET x r7',
    'init[11] r8:R = CONST 0',
    'init[12] r9:R = CONST 1',
    'init[13] r8:R = ADD r8 r9',
    'init[14] r10:RD = PARAM k',
    'init[15] r11:R = CONST 2',
    'init[16] r12:RD = POW r10 r11',
    'init[17] r13:RD = NEG r12',
    'init[18] r14:R = CONST 2.718281828459045',
    'init[19] r15:R = NOT r8',
    'init[20] r16:R = CONST 1',
    'init[21] r17:R = CONST 0',
    'init[22] r18:R = SELECT r15 r16 r17',
    'init[23] r19:R = MAX r8 r14',             // arguments first, then max(max(n, e), third)
    'init[24] r20:R = MAX r19 r18',
    'init[25] r21:RD = ADD r13 r20',
    'init[26] OUTPUT y r21',
  ]);
});
