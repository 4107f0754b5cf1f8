// Lowering init and step to a program: passes repeat until the kinds of fields, state variables
// and lets stop widening; then draw sites are numbered and the program assembled.
import type { NativeProgram } from '../native.js';
import { FunctionLowering, KindAssumptions, ProgramLowering, type Phase } from './context.js';
import { codeError } from './diagnostics.js';
import { MAX_SITE } from './modelApi.js';
import { Scope } from './scope.js';
import type { FunctionSource } from './source.js';
import type { CheckedSpec } from './spec.js';
import { lowerBody } from './statements.js';

export interface ModelSources {
  readonly init: FunctionSource;
  readonly step: FunctionSource;
  readonly helpers: ReadonlyMap<string, FunctionSource>;
}

/** What defineModel needs besides the program: whether it reads a contact graph. */
export interface LoweredModel {
  readonly program: NativeProgram;
  readonly usesGraph: boolean;
}

const MAX_REGISTERS = 4096;
const MAX_CONSTANTS = 65536;
const MAX_INSTRUCTIONS = 65536;

function lowerFunction(pass: ProgramLowering, phase: Phase, source: FunctionSource): FunctionLowering {
  const ctx = new FunctionLowering(pass, phase, source);
  const fn = source.node;
  if (fn.async || fn.generator) ctx.fail(fn, SyntaxError, `${phase} cannot be async or a generator`);
  const [model, extra] = fn.params;
  if (extra) ctx.fail(extra, TypeError, `${phase} takes one parameter, the model: ${phase}(m) { ... }`);
  const scope = new Scope();
  if (model) {
    if (model.type !== 'Identifier') return ctx.fail(model, SyntaxError, `${phase}'s parameter must be a plain name such as m`);
    scope.declare(model.name, { type: 'const', value: { type: 'model' }, what: 'the model' });
  }
  lowerBody(ctx, scope, fn, false);
  return ctx;
}

function checkOutputsWritten(spec: CheckedSpec, init: FunctionLowering): void {
  const missing = spec.outputs.filter((o) => !init.outputsWritten.has(o));
  if (missing.length > 0) {
    const example = missing.map((o) => `${o}: ...`).join(', ');
    throw codeError(init.source, init.source.shift, TypeError, `init must write every output, and it never writes ${missing.join(', ')}: add m.output({ ${example} })`);
  }
}

/** Sites of draws without an explicit stream: the lowest numbers no explicit stream takes, in source order. */
function numberDrawSites(spec: CheckedSpec, pass: ProgramLowering): void {
  const taken = new Set(pass.draws.flatMap((d) => (d.stream === undefined ? [] : [d.stream])));
  let next = 0;
  for (const draw of pass.draws) {
    let site = draw.stream;
    if (site === undefined) {
      while (taken.has(next)) next++;
      site = next++;
    }
    if (site > MAX_SITE) throw new RangeError(`${spec.name}: init and step draw at more than ${MAX_SITE + 1} sites, the most a program may have`);
    draw.block.patch(draw.instruction, draw.word, site);
  }
}

function checkSize(spec: CheckedSpec, pass: ProgramLowering, instructions: number): void {
  const { registers, constants } = pass.builder;
  if (instructions > MAX_INSTRUCTIONS) {
    throw new RangeError(`${spec.name}: init and step lower to ${instructions} instructions, more than the ${MAX_INSTRUCTIONS} a program may have; make them shorter (helpers are inlined at every call)`);
  }
  if (registers.length > MAX_REGISTERS) {
    throw new RangeError(`${spec.name}: init and step need ${registers.length} registers, more than the ${MAX_REGISTERS} a program may have; make them shorter (helpers are inlined at every call)`);
  }
  if (constants.length > MAX_CONSTANTS) {
    throw new RangeError(`${spec.name}: init and step use ${constants.length} distinct numbers, more than the ${MAX_CONSTANTS} a program may have`);
  }
}

export function lowerModel(spec: CheckedSpec, sources: ModelSources): LoweredModel {
  const kinds = new KindAssumptions(spec);
  for (;;) {
    kinds.widened = false;
    const pass = new ProgramLowering(spec, kinds, sources.helpers);
    const init = lowerFunction(pass, 'init', sources.init);
    const step = lowerFunction(pass, 'step', sources.step);
    if (kinds.widened) continue;
    checkOutputsWritten(spec, init);
    numberDrawSites(spec, pass);
    checkSize(spec, pass, init.block.length + step.block.length);
    const program: NativeProgram = {
      name: spec.name,
      parameters: spec.parameters.map((p) => ({ ...p })),
      settings: spec.settings.map((s) => ({ ...s })),
      outputs: [...spec.outputs],
      fields: Int32Array.from(kinds.fields),
      states: Int32Array.from(kinds.states),
      registers: Int32Array.from(pass.builder.registers),
      constants: Float64Array.from(pass.builder.constants),
      init: init.block.toInt32Array(),
      step: step.block.toInt32Array(),
    };
    return { program, usesGraph: pass.usesGraph };
  }
}
