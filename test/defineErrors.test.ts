// Definition errors: each mistake in test/fixtures/define-errors.js is thrown by defineModel with
// its class, its message, and the file, line and column of the offending code, followed by that
// line and a caret under the column. Expected positions are found by searching the fixture for
// the text the error must point at (`^` marks the column inside that text).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import test from 'ava';

import { defineModel } from '../lib/index.js';
import { repoRoot } from './helpers.js';

const fixturePath = join(repoRoot, 'test', 'fixtures', 'define-errors.js');
const fixtureText = readFileSync(fixturePath, 'utf8');
const { cases } = (await import(pathToFileURL(fixturePath).href)) as { cases: Record<string, () => unknown> };

type ErrorClass = typeof TypeError | typeof SyntaxError | typeof RangeError;

interface Position {
  line: number;
  column: number;
  lineText: string;
}

/** Where `at` (with `^` marking the column, else its start) first occurs after the case's name in the fixture. */
function expectedPosition(name: string, at: string): Position {
  const caseStart = fixtureText.indexOf(`  ${name}: () => defineModel(`);
  if (caseStart < 0) throw new Error(`no case ${name} in the fixture`);
  const caret = Math.max(at.indexOf('^'), 0);
  const text = at.replace('^', '');
  const found = fixtureText.indexOf(text, caseStart);
  if (found < 0) throw new Error(`'${text}' not found after case ${name}`);
  const offset = found + caret;
  const lineStart = fixtureText.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = fixtureText.indexOf('\n', offset);
  return {
    line: fixtureText.slice(0, offset).split('\n').length,
    column: offset - lineStart + 1,
    lineText: fixtureText.slice(lineStart, lineEnd),
  };
}

const file = relative(process.cwd(), fixturePath);

// [case, class, function label, where the error points, the problem]
type CodeCase = [string, ErrorClass, string, string, string];

const mathList = 'Math.exp, Math.log, Math.log1p, Math.expm1, Math.sqrt, Math.abs, Math.tanh, Math.pow, Math.min, Math.max, Math.PI, Math.E';
const ifAdvice = "an if's condition may depend only on settings, m.t, a.index, loop counters and constants, and this one depends on parameters, draws or model state: compute both values and choose with a ternary, x = c ? a : b";

const codeCases: CodeCase[] = [
  ['closureVariable', TypeError, 'step', 'recovery; }',
    "'recovery' is not defined inside step: model functions are read as source and cannot see the variables around them; put constants in settings (settings: { recovery: ... }) and read m.settings.recovery, and declare functions inside step or in the spec's helpers"],
  ['closureOverSetting', TypeError, 'step', 'rate; }',
    "'rate' is not defined inside step: model functions are read as source and cannot see the variables around them; read the setting as m.settings.rate"],
  ['mathRandom', TypeError, 'step', 'Math.random',
    'Math.random is not supported: draw random numbers with m.uniform(), m.normal(mean, sd) or m.bernoulli(p), which are keyed so that runs repeat and can be differentiated'],
  ['unsupportedMath', TypeError, 'init', 'Math.floor', `Math.floor is not supported; supported: ${mathList}`],
  ['unknownField', TypeError, 'step', 'a.^infectd', "'infectd' is not an agent field of broken; fields are infected (and a.index, the agent's index)"],
  ['unknownParameter', TypeError, 'step', 'm.params.^gamma', 'm.params.gamma is not a parameter of broken; parameters are beta'],
  ['unknownSetting', TypeError, 'step', 'm.settings.^round', 'm.settings.round is not a setting of broken; settings are agents, steps, rounds, rate'],
  ['unknownState', TypeError, 'step', 'm.state.^rr', 'm.state.rr is not a state variable of broken; state variables are r'],
  ['unknownOutput', TypeError, 'step', 'shares', "'shares' is not an output of broken; outputs are share"],
  ['unknownModelMember', TypeError, 'init', 'm.^agent }',
    'm.agent is not part of the model; it has m.params, m.settings, m.state, m.helpers, m.agents, m.t, m.forEachAgent, m.sum, m.neighbours, m.uniform, m.normal, m.commonNormal, m.bernoulli, m.above, m.categorical, m.output'],
  ['unknownHelper', TypeError, 'init', 'm.helpers.^logit', 'm.helpers.logit is not a helper of broken; helpers are logistic'],
  ['assignParameter', TypeError, 'step', 'm.params.beta =',
    'm.params.beta is a parameter: parameters are read-only; keep a changing value in m.state or a let'],
  ['assignSetting', TypeError, 'step', 'm.settings.rounds +=',
    'm.settings.rounds is a setting: settings are read-only; keep a changing value in m.state or a let'],
  ['assignConst', TypeError, 'step', 'level = 2', 'level is a const: it cannot be assigned; declare it with let to change it'],
  ['assignNeighbour', TypeError, 'step', 'b.infected = 1',
    'b is another agent: an agent may only change its own fields, inside its own loop; neighbours are read as the previous step left them'],
  ['fieldOutsideAgentLoop', TypeError, 'step', 'a.infected = 1',
    'a.infected is an agent field: it can only be assigned inside m.forEachAgent((a) => { ... }), to the agent of that loop'],
  ['outerLetInAgentLoop', TypeError, 'step', 'count = count',
    'count is declared outside this agent loop, so the loop cannot assign it (every agent would write it at once): total values over agents with m.sum, or keep them per agent in a field'],
  ['stateInAgentLoop', TypeError, 'step', 'm.state.r = a',
    'm.state.r cannot be assigned inside an agent loop (every agent would write it at once): total with m.sum and assign it after the loop'],
  ['sumInsideAgentLoop', TypeError, 'step', 'm.sum((b)',
    'm.sum cannot be used inside an agent loop (m.forEachAgent or m.sum): agent loops do not nest; total over agents before or after this loop'],
  ['forEachInsideSum', TypeError, 'step', 'm.forEachAgent((b)',
    'm.forEachAgent cannot be used inside an agent loop (m.forEachAgent or m.sum): agent loops do not nest'],
  ['outputInsideAgentLoop', TypeError, 'step', 'm.output({ share: a',
    'm.output cannot be used inside an agent loop (m.forEachAgent or m.sum): total the values with m.sum and output them after the loop'],
  ['outputInsideIf', TypeError, 'step', 'm.output({ share: 1',
    'm.output cannot be used inside an if: choose the value with a ternary, m.output({ x: c ? a : b })'],
  ['drawInsideNeighbourSum', TypeError, 'step', 'm.uniform()',
    'draws are not allowed inside m.neighbours(a).sum, which only reads a field of each neighbour; draw for the agent outside it'],
  ['neighboursInInit', TypeError, 'init', 'm.neighbours(a)',
    'm.neighbours(a) reads the fields as the previous step left them, so it can only be used in step'],
  ['ifOnParameter', TypeError, 'step', 'm.params.beta > 0.5', ifAdvice],
  ['ifOnDraw', TypeError, 'step', 'm.uniform() < 0.5', ifAdvice],
  ['whileLoop', SyntaxError, 'step', 'while (', 'while loops are not supported; use for (let i = 0; i < N; i++) with N a number or m.settings.name'],
  ['methodCall', SyntaxError, 'step', 'totals.^map',
    "method calls such as .map are not supported: model functions may call helpers, Math functions and the model's m.* functions"],
  ['moduloOperator', SyntaxError, 'step', 'm.t % 7',
    'the % operator is not supported: compute x - d * Math.floor(x / d) outside the model, or keep a counter in a state variable'],
  ['logicalOutsideCondition', SyntaxError, 'step', 'm.t > 1 &&', '&& is only supported in the condition of a ternary (c ? x : y) or an if'],
  ['varDeclaration', SyntaxError, 'step', 'var x', 'var is not supported; declare variables with let or const'],
  ['malformedFor', SyntaxError, 'step', 'for (', 'for loops must have the form for (let i = 0; i < N; i++), with N a number or m.settings.name'],
  ['forOverFractionalSetting', RangeError, 'step', 'm.settings.rate',
    'a for loop runs a whole number of times in [0, 32768], but settings.rate is a number in [-1e+300, 1e+300]; declare it with integer: true, min >= 0 and max <= 32768, e.g. { default: 10, min: 0, max: 100, integer: true }'],
  ['recursion', TypeError, 'step', 'return ^fall(x - 1)', 'fall calls itself: recursion is not supported (helpers are inlined where they are called)'],
  ['streamTwice', RangeError, 'step', 'm.uniform({ stream: 2 }) + m.uniform({ stream: ^2 })', 'stream 2 is used by another draw in step; give each draw its own stream'],
  ['streamOutOfRange', RangeError, 'step', '5000', 'stream must be an integer in [0, 4095], got 5000'],
  ['errorInSpecHelper', SyntaxError, 'helpers.parity', 'x % 2',
    'the % operator is not supported: compute x - d * Math.floor(x / d) outside the model, or keep a counter in a state variable'],
  ['outputNeverWritten', TypeError, 'init', 'init(m)', 'init must write every output, and it never writes peak: add m.output({ peak: ... })'],
];

for (const [name, ErrorType, label, at, problem] of codeCases) {
  test(`${name}: ${ErrorType.name} at the offending code`, (t) => {
    const error = t.throws(() => cases[name]!(), { instanceOf: ErrorType });
    const { line, column, lineText } = expectedPosition(name, at);
    const indent = lineText.length - lineText.trimStart().length;
    t.deepEqual(error.message.split('\n'), [
      `broken.${label} (${file}:${line}:${column}): ${problem}`,
      `    ${lineText.trimStart()}`,
      `    ${' '.repeat(column - 1 - indent)}^`,
    ]);
  });
}

// Mistakes in the spec object: reported at the defineModel call.
const specCases: [string, ErrorClass, string, string][] = [
  ['referenceOutsideConstraint', RangeError, 'broken', "parameters.beta.reference must be a number in [0, 1] (constraint 'unit'), got 1.5"],
  ['unknownConstraint', RangeError, 'broken', "parameters.beta.constraint must be 'real', 'positive' or 'unit', got 'probability'"],
  ['duplicateField', RangeError, 'broken', "agent names 'infected' twice"],
  ['invalidName', RangeError, 'defineModel', "name must be an identifier (letters, digits, _ and $, not starting with a digit), got 'my model'"],
  ['fractionalAgents', RangeError, 'broken', 'settings.agents must default to an integer in [1, 100000000], got 10.5'],
  ['tooManySettings', RangeError, 'broken', 'a model has at most 16 settings, agents and steps included; got 17'],
  ['noOutputs', RangeError, 'broken', 'outputs must hold 1 to 32 names, got 0'],
  ['unknownSpecKey', TypeError, 'broken', "'agents' is not a key of a model spec; keys are name, parameters, settings, agent, state, outputs, helpers, init, step"],
];

for (const [name, ErrorType, label, problem] of specCases) {
  test(`${name}: ${ErrorType.name} at the defineModel call`, (t) => {
    const error = t.throws(() => cases[name]!(), { instanceOf: ErrorType });
    const { line, column } = expectedPosition(name, 'defineModel(');
    t.is(error.message, `${label} (${file}:${line}:${column}): ${problem}`);
  });
}

test('every case of the fixture is checked', (t) => {
  t.deepEqual(Object.keys(cases).sort(), [...codeCases.map((c) => c[0]), ...specCases.map((c) => c[0])].sort());
});

const spec = {
  name: 'anywhere',
  parameters: { p: { constraint: 'unit', reference: 0.5 } },
  outputs: ['y'],
} as const;

test('a function whose text is in no file is located within itself', (t) => {
  const step = new Function('m', 'const u = 1;\nm.output({ y: u + later });') as (m: unknown) => void;
  const error = t.throws(() => defineModel({ ...spec, init(m) { m.output({ y: 0 }); }, step }), { instanceOf: TypeError });
  // new Function's text is "function anonymous(m\n) {\nconst u = 1;\nm.output({ y: u + later });\n}".
  t.is(error.message.split('\n')[0], "anywhere.step (line 4, column 19 of the function): 'later' is not defined inside step: model functions are read as source and cannot see the variables around them; put constants in settings (settings: { later: ... }) and read m.settings.later, and declare functions inside step or in the spec's helpers");
});

test('a built-in function cannot be read as source', (t) => {
  const error = t.throws(() => defineModel({ ...spec, init(m) { m.output({ y: 0 }); }, step: Math.max as never }), { instanceOf: TypeError });
  t.regex(error.message, /^anywhere\.step \(line 1, column 1 of the function\): step must be a function written in JavaScript or TypeScript, not a bound or built-in function/);
});

test('unknown settings and out-of-range values given to the factory', (t) => {
  const factory = defineModel({
    ...spec,
    settings: { agents: 10, level: { default: 1, min: 0, max: 2 } },
    init(m) { m.output({ y: m.settings.level }); },
    step() {},
  });
  t.throws(() => factory({ levels: 1 } as never), { instanceOf: TypeError, message: "'levels' is not an option of anywhere; options are agents, steps, level" });
  t.throws(() => factory({ level: 3 }), { instanceOf: RangeError, message: 'level must be a number in [0, 2], got 3' });
  t.throws(() => factory({ agents: 2.5 }), { instanceOf: RangeError, message: 'agents must be an integer in [1, 100000000], got 2.5' });
  t.throws(() => factory({ graph: { nodes: 2, offsets: new Int32Array(3), neighbours: new Int32Array(0) } } as never), {
    instanceOf: TypeError,
    message: "'graph' is not an option of anywhere; options are agents, steps, level",
  });
});
