// defineModel: a spec with init and step written in TypeScript, checked and lowered to a program
// once, and a factory of Models that run it.
import { isPlainObject } from '../errors.js';
import { buildModel, type Model } from '../models/model.js';
import type { NativeModelInfo } from '../native.js';
import { codeError } from './diagnostics.js';
import { lowerModel, type ModelSources } from './lower.js';
import { findCallSite, findText, parseFunction, UnparsableFunction, type CallSite, type FunctionSource, type SourceText } from './source.js';
import { checkSpec, type CheckedSpec } from './spec.js';
import type { ModelFactory, ModelSettings, ModelSpec } from './types.js';

function parseSource(spec: CheckedSpec, name: string, fn: (...args: never[]) => unknown, site: CallSite | undefined): FunctionSource {
  const text = fn.toString();
  const source: SourceText = { label: `${spec.name}.${name}`, name, text, shift: 0, found: findText(site, text) };
  if (/\{\s*\[native code\]\s*\}$/.test(text)) {
    throw codeError(source, 0, TypeError, `${name} must be a function written in JavaScript or TypeScript, not a bound or built-in function: its source is read`);
  }
  try {
    const { node, shift } = parseFunction(text);
    return { ...source, node, shift };
  } catch (error) {
    if (!(error instanceof UnparsableFunction)) throw error;
    throw codeError(source, error.offset, SyntaxError, `cannot read ${name} as a function: ${error.message}`);
  }
}

function parseSources(spec: CheckedSpec, site: CallSite | undefined): ModelSources {
  return {
    init: parseSource(spec, 'init', spec.init, site),
    step: parseSource(spec, 'step', spec.step, site),
    helpers: new Map([...spec.helpers].map(([name, fn]) => [name, parseSource(spec, `helpers.${name}`, fn, site)])),
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !ArrayBuffer.isView(child)) deepFreeze(child as object);
  }
  return Object.freeze(value);
}

/**
 * Defines a model from its spec: parameters, settings, per-agent fields, per-replicate state,
 * outputs, and init and step written against the model object `m`. The functions are read as
 * source, checked and lowered to a program here, so every error in them is thrown by this call,
 * naming the line and column. Returns a factory: `factory(settings?)` gives a Model to simulate
 * and fit, like the built-in models.
 */
export function defineModel<
  const P extends string,
  const S extends string = never,
  const F extends string = never,
  const St extends string = never,
  const O extends string = string,
  const H extends string = never,
>(spec: ModelSpec<P, S, F, St, O, H>): ModelFactory<S> {
  const site = findCallSite(defineModel);
  const checked = checkSpec(spec, site);
  const { program, usesGraph } = lowerModel(checked, parseSources(checked, site));
  deepFreeze(program);
  const info: NativeModelInfo = {
    name: checked.name,
    parameters: program.parameters,
    settings: program.settings,
    outputs: program.outputs,
    usesGraph,
  };
  const factory = (settings?: ModelSettings<S>): Model => buildModel(info, settings, checked.name, program);
  Object.defineProperty(factory, 'name', { value: checked.name });
  return Object.freeze(Object.assign(factory, { program, usesGraph }));
}

/** Whether `value` is a factory made by defineModel (as a module's default export for the CLI). */
export function isModelFactory(value: unknown): value is ModelFactory {
  if (typeof value !== 'function') return false;
  const program = (value as { program?: unknown }).program;
  return isPlainObject(program) && program['init'] instanceof Int32Array && program['step'] instanceof Int32Array && Array.isArray(program['parameters']);
}
