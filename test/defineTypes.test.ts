// defineModel's types: names flow from the spec into init and step, so that a misspelt field,
// parameter, setting, state variable, helper or output is a compile error. The build type-checks
// this file, which fails where an `@ts-expect-error` line compiles; the test below removes the
// directives and checks that each of those lines then fails, for the reason its directive names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import test from 'ava';
import ts from 'typescript';

import { defineModel, type Model, type ModelFactory } from '../lib/index.js';
import { repoRoot } from './helpers.js';

const spec = {
  name: 'typedAnts',
  parameters: {
    epsilon: { constraint: 'unit', reference: 0.01 },
    h: { constraint: 'unit', reference: 0.3 },
  },
  settings: { agents: 100, steps: 50, rounds: { default: 2, min: 0, max: 10, integer: true } },
  agent: ['choice'],
  state: ['flips'],
  outputs: ['share'],
  helpers: { clamp(x: number) { return Math.min(1, Math.max(0, x)); } },
} as const;

export const typedAnts = defineModel({
  ...spec,
  init(m) {
    m.forEachAgent((a) => { a.choice = m.bernoulli(0.5, { stream: 3 }); });
    m.output({ share: m.sum((a) => a.choice) / m.agents });
  },
  step(m) {
    const share = m.sum((a) => a.choice) / m.settings.agents;
    const { flips } = m.sum((a) => ({ flips: a.choice * (1 - a.choice) }));
    m.state.flips = flips;
    m.forEachAgent((a) => {
      const others = a.choice * (1 - share) + (1 - a.choice) * share + a.index * 0;
      const p = m.helpers.clamp(m.params.epsilon + m.params.h * others);
      a.choice = a.choice + m.bernoulli(p) * (1 - 2 * a.choice);
    });
    m.output({ share: m.sum((a) => a.choice) / m.agents });
  },
});

// Never called: each marked line is a type error (and would be a definition error too).
export function typos(): void {
  const misspelt = defineModel({
    ...spec,
    init(m) {
      m.output({ share: 0 });
    },
    step(m) {
      m.forEachAgent((a) => {
        // @ts-expect-error Property 'choise' does not exist
        a.choise = 1;
        // @ts-expect-error Cannot assign to 'index' because it is a read-only property
        a.index = 2;
        // @ts-expect-error Property 'choise' does not exist
        a.choice = m.neighbours(a).sum((b) => b.choise);
      });
      // @ts-expect-error Property 'hh' does not exist
      m.state.flips = m.params.hh;
      // @ts-expect-error Cannot assign to 'h' because it is a read-only property
      m.params.h = 3;
      // @ts-expect-error Property 'rat' does not exist
      m.state.flips = m.settings.rat;
      // @ts-expect-error Cannot assign to 'rounds' because it is a read-only property
      m.settings.rounds = 1;
      // @ts-expect-error Property 'flops' does not exist
      m.state.flops = 1;
      // @ts-expect-error Property 'clam' does not exist
      m.state.flips = m.helpers.clam(1);
      // @ts-expect-error 'shar' does not exist in type
      m.output({ shar: 0 });
      // @ts-expect-error Property 'missing' does not exist
      const { missing } = m.sum((a) => ({ total: a.choice }));
      m.state.flips = missing;
      // @ts-expect-error 'strem' does not exist in type
      m.state.flips = m.bernoulli(0.5, { strem: 1 });
    },
  });
  // @ts-expect-error 'agentz' does not exist in type
  misspelt({ agentz: 1000 });
  // @ts-expect-error Type 'string' is not assignable to type 'number'
  misspelt({ rounds: '3' });
}

test('the typed model lowers, and its factory gives a Model with its settings', (t) => {
  const factory: ModelFactory<'rounds'> = typedAnts;
  const model: Model = factory({ agents: 10, rounds: 4 });
  t.deepEqual(model.settings, { agents: 10, steps: 50, rounds: 4 });
  t.deepEqual(Array.from(factory.program.fields), [1]);
  t.deepEqual(Array.from(factory.program.states), [1]);
});

const directive = /^(\s*)\/\/ @ts-expect-error (.*)$/;

// The diagnostics of this file with its `@ts-expect-error` lines blanked, by line (0-based).
function diagnosticsWithoutDirectives(source: string): Map<number, string[]> {
  const path = join(repoRoot, 'test', 'defineTypes.stripped.ts');
  const stripped = source.split('\n').map((line) => (directive.test(line) ? '' : line)).join('\n');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => (name === path ? stripped : readFile(name));
  host.fileExists = (name) => name === path || fileExists(name);
  const program = ts.createProgram([path], options, host);
  const byLine = new Map<number, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const line = d.file?.fileName === path && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    byLine.set(line, [...(byLine.get(line) ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
  }
  return byLine;
}

test('every @ts-expect-error line fails to type-check without its directive, for the reason it names', (t) => {
  const source = readFileSync(join(repoRoot, 'test', 'defineTypes.test.ts'), 'utf8');
  const lines = source.split('\n');
  const expected = new Map<number, string>();
  lines.forEach((line, i) => {
    const match = directive.exec(line);
    if (match) expected.set(i + 1, match[2]!);
  });
  t.true(expected.size >= 12);
  const diagnostics = diagnosticsWithoutDirectives(source);
  for (const [line, reason] of expected) {
    const messages = diagnostics.get(line) ?? [];
    t.true(messages.some((m) => m.includes(reason)), `line ${line + 1} (${lines[line]!.trim()}): expected "${reason}", got ${JSON.stringify(messages)}`);
  }
  const unexpected = [...diagnostics].filter(([line]) => !expected.has(line));
  t.deepEqual(unexpected, []);
});
