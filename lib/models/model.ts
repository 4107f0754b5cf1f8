// A configured model: the native model it runs, its settings and its parameters.
import { invalidType, isPlainObject, outOfRange } from '../errors.js';
import { native, type Constraint, type NativeModelInfo } from '../native.js';

export interface ParameterInfo {
  /** Name used in theta objects and tangent lists. */
  readonly name: string;
  /** real: (-inf, inf); positive: (0, inf); unit: [0, 1]. Decides the bijector used by inference. */
  readonly constraint: Constraint;
  /** The reference value from DESIGN.md, used as a default truth in examples and the CLI. */
  readonly reference: number;
}

export interface Model {
  /** Native model name, e.g. 'volatility'. */
  readonly name: string;
  readonly parameters: readonly ParameterInfo[];
  readonly outputs: readonly string[];
  /** Every setting of the model, defaults filled in (agents, steps, ...). */
  readonly settings: Readonly<Record<string, number>>;
  readonly agents: number;
  readonly steps: number;
  /** The reference parameter values, by name. */
  readonly reference: Readonly<Record<string, number>>;
}

let catalog: Map<string, NativeModelInfo> | undefined;

function loadCatalog(): Map<string, NativeModelInfo> {
  catalog ??= new Map(native().models().map((m) => [m.name, m]));
  return catalog;
}

export function modelInfo(name: string): NativeModelInfo {
  const catalog = loadCatalog();
  const info = catalog.get(name);
  if (!info) throw new RangeError(`model must be one of ${[...catalog.keys()].map((n) => `'${n}'`).join(', ')}, got '${name}'`);
  return info;
}

export function modelNames(): string[] {
  return [...loadCatalog().keys()];
}

function checkSetting(option: string, value: unknown, min: number, max: number, integer: boolean): number {
  const allowed = integer ? `an integer in [${min}, ${max}]` : `a number in [${min}, ${max}]`;
  if (typeof value !== 'number') throw invalidType(option, allowed, value);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw outOfRange(option, allowed, value);
  }
  return value;
}

/** Builds a Model from the native model `name` and user options keyed by setting name. */
export function configureModel(name: string, options: unknown): Model {
  const info = modelInfo(name);
  if (options !== undefined && !isPlainObject(options)) throw invalidType(`models.${name}(options)`, 'an object', options);
  const given = (options ?? {}) as Record<string, unknown>;
  const known = new Set(info.settings.map((s) => s.name));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      throw new TypeError(`'${key}' is not an option of models.${name}; options are ${[...known].join(', ')}`);
    }
  }
  const settings: Record<string, number> = {};
  for (const s of info.settings) {
    const value = given[s.name];
    settings[s.name] = value === undefined ? s.default : checkSetting(s.name, value, s.min, s.max, s.integer);
  }
  const parameters = info.parameters.map((p) => Object.freeze({ ...p }));
  return Object.freeze({
    name,
    parameters: Object.freeze(parameters),
    outputs: Object.freeze([...info.outputs]),
    settings: Object.freeze(settings),
    agents: settings['agents'] ?? 1,
    steps: settings['steps'] ?? 1,
    reference: Object.freeze(Object.fromEntries(parameters.map((p) => [p.name, p.reference]))),
  });
}

export function isModel(value: unknown): value is Model {
  return isPlainObject(value) && typeof value['name'] === 'string' && Array.isArray(value['parameters']) &&
    isPlainObject(value['settings']);
}
