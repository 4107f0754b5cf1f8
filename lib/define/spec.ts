// Checks the spec object given to defineModel (names, counts, constraints, settings) and puts it
// in the program's order: parameters, settings (agents, steps first), fields, states, outputs.
import { describeValue, isPlainObject } from '../errors.js';
import type { Constraint, NativeParameterInfo, NativeSettingInfo } from '../native.js';
import { specError, type ErrorClass } from './diagnostics.js';
import type { CallSite } from './source.js';

type AnyFunction = (...args: never[]) => unknown;

export interface CheckedSpec {
  readonly name: string;
  readonly parameters: readonly NativeParameterInfo[];
  readonly settings: readonly NativeSettingInfo[];
  readonly fields: readonly string[];
  readonly states: readonly string[];
  readonly outputs: readonly string[];
  readonly helpers: ReadonlyMap<string, AnyFunction>;
  readonly init: AnyFunction;
  readonly step: AnyFunction;
}

export const limits = { parameters: 16, settings: 16, outputs: 32, fields: 64, states: 256 } as const;

/** The widest range of a setting given as a plain number. */
const SETTING_BOUND = 1e300;

const specKeys = ['name', 'parameters', 'settings', 'agent', 'state', 'outputs', 'helpers', 'init', 'step'];
const constraints: readonly Constraint[] = ['real', 'positive', 'unit'];
const builtInSettings: readonly NativeSettingInfo[] = [
  { name: 'agents', default: 1000, min: 1, max: 1e8, integer: true },
  { name: 'steps', default: 100, min: 1, max: 1e6, integer: true },
];

const identifier = /^[A-Za-z_$][\w$]*$/;

type Fail = (ErrorType: ErrorClass, problem: string) => never;

function checkName(value: unknown, what: string, fail: Fail): string {
  if (typeof value !== 'string') return fail(TypeError, `${what} must be a string, got ${describeValue(value)}`);
  if (!identifier.test(value)) return fail(RangeError, `${what} must be an identifier (letters, digits, _ and $, not starting with a digit), got '${value}'`);
  return value;
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], what: string, fail: Fail): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(TypeError, `'${key}' is not a key of ${what}; keys are ${allowed.join(', ')}`);
  }
}

function checkObject(value: unknown, what: string, fail: Fail): Record<string, unknown> {
  if (!isPlainObject(value)) return fail(TypeError, `${what} must be an object, got ${describeValue(value)}`);
  return value;
}

function allowedReference(constraint: Constraint): string {
  return { real: 'a finite number', positive: 'a finite number > 0', unit: 'a number in [0, 1]' }[constraint];
}

function satisfies(constraint: Constraint, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  return constraint === 'real' || (constraint === 'positive' ? value > 0 : value >= 0 && value <= 1);
}

function checkParameters(value: unknown, fail: Fail): NativeParameterInfo[] {
  const parameters = checkObject(value, 'parameters', fail);
  const names = Object.keys(parameters);
  if (names.length < 1 || names.length > limits.parameters) {
    fail(RangeError, `parameters must name 1 to ${limits.parameters} parameters, got ${names.length}`);
  }
  return names.map((name) => {
    checkName(name, 'a parameter name', fail);
    const entry = checkObject(parameters[name], `parameters.${name}`, fail);
    checkKeys(entry, ['constraint', 'reference'], `parameters.${name}`, fail);
    const constraint = entry['constraint'];
    if (!constraints.includes(constraint as Constraint)) {
      fail(RangeError, `parameters.${name}.constraint must be 'real', 'positive' or 'unit', got ${describeValue(constraint)}`);
    }
    const reference = entry['reference'];
    if (typeof reference !== 'number') fail(TypeError, `parameters.${name}.reference must be a number, got ${describeValue(reference)}`);
    const c = constraint as Constraint;
    if (!satisfies(c, reference as number)) {
      fail(RangeError, `parameters.${name}.reference must be ${allowedReference(c)} (constraint '${c}'), got ${reference as number}`);
    }
    return { name, constraint: c, reference: reference as number };
  });
}

function checkFiniteNumber(value: unknown, what: string, fail: Fail): number {
  if (typeof value !== 'number') return fail(TypeError, `${what} must be a number, got ${describeValue(value)}`);
  if (!Number.isFinite(value)) return fail(RangeError, `${what} must be a finite number, got ${value}`);
  return value;
}

// A setting's spec; `base` gives agents and steps their fixed range and integrality.
function checkSetting(name: string, value: unknown, base: NativeSettingInfo | undefined, fail: Fail): NativeSettingInfo {
  const what = `settings.${name}`;
  const lowest = base?.min ?? -SETTING_BOUND;
  const highest = base?.max ?? SETTING_BOUND;
  let setting: NativeSettingInfo;
  if (typeof value === 'number') {
    setting = { name, default: checkFiniteNumber(value, what, fail), min: lowest, max: highest, integer: base?.integer ?? false };
  } else {
    const entry = checkObject(value, what, fail);
    checkKeys(entry, ['default', 'min', 'max', 'integer'], what, fail);
    const integer = entry['integer'] ?? base?.integer ?? false;
    if (typeof integer !== 'boolean') fail(TypeError, `${what}.integer must be a boolean, got ${describeValue(integer)}`);
    if (base && integer === false) fail(RangeError, `${what}.integer must be true: ${name} counts whole things`);
    setting = {
      name,
      default: checkFiniteNumber(entry['default'], `${what}.default`, fail),
      min: entry['min'] === undefined ? lowest : checkFiniteNumber(entry['min'], `${what}.min`, fail),
      max: entry['max'] === undefined ? highest : checkFiniteNumber(entry['max'], `${what}.max`, fail),
      integer: integer as boolean,
    };
  }
  if (setting.min < lowest || setting.max > highest || setting.min > setting.max) {
    fail(RangeError, `${what} must have ${lowest} <= min <= max <= ${highest}, got min ${setting.min}, max ${setting.max}`);
  }
  const allowed = `${setting.integer ? 'an integer' : 'a number'} in [${setting.min}, ${setting.max}]`;
  if (setting.default < setting.min || setting.default > setting.max || (setting.integer && !Number.isInteger(setting.default))) {
    fail(RangeError, `${what} must default to ${allowed}, got ${setting.default}`);
  }
  return setting;
}

function checkSettings(value: unknown, fail: Fail): NativeSettingInfo[] {
  const given = value === undefined ? {} : checkObject(value, 'settings', fail);
  const names = [...builtInSettings.map((s) => s.name), ...Object.keys(given).filter((n) => n !== 'agents' && n !== 'steps')];
  if (names.length > limits.settings) {
    fail(RangeError, `a model has at most ${limits.settings} settings, agents and steps included; got ${names.length}`);
  }
  return names.map((name) => {
    const base = builtInSettings.find((s) => s.name === name);
    checkName(name, 'a setting name', fail);
    if (name === 'graph') fail(RangeError, `'graph' cannot be a setting: it is the option that passes a contact graph`);
    if (base && given[name] === undefined) return { ...base };
    return checkSetting(name, given[name], base, fail);
  });
}

function checkNames(value: unknown, what: string, min: number, max: number, fail: Fail): string[] {
  const names = value ?? [];
  if (!Array.isArray(names)) return fail(TypeError, `${what} must be an array of names, got ${describeValue(value)}`);
  if (names.length < min || names.length > max) fail(RangeError, `${what} must hold ${min} to ${max} names, got ${names.length}`);
  names.forEach((name, i) => {
    checkName(name, `${what}[${i}]`, fail);
    if (names.indexOf(name) !== i) fail(RangeError, `${what} names '${name as string}' twice`);
  });
  return names as string[];
}

function checkFunction(value: unknown, what: string, fail: Fail): AnyFunction {
  if (typeof value !== 'function') return fail(TypeError, `${what} must be a function, got ${describeValue(value)}`);
  return value as AnyFunction;
}

function checkHelpers(value: unknown, fail: Fail): Map<string, AnyFunction> {
  const helpers = value === undefined ? {} : checkObject(value, 'helpers', fail);
  return new Map(Object.entries(helpers).map(([name, fn]) => [checkName(name, 'a helper name', fail), checkFunction(fn, `helpers.${name}`, fail)]));
}

/** Checks a defineModel spec; errors name the model and the defineModel call. */
export function checkSpec(spec: unknown, site: CallSite | undefined): CheckedSpec {
  let label = 'defineModel';
  const fail: Fail = (ErrorType, problem) => {
    throw specError(label, site, ErrorType, problem);
  };
  const given = checkObject(spec, 'the spec', fail);
  const name = checkName(given['name'], 'name', fail);
  label = name;
  checkKeys(given, specKeys, 'a model spec', fail);
  const fields = checkNames(given['agent'], 'agent', 0, limits.fields, fail);
  if (fields.includes('index')) fail(RangeError, `'index' cannot be an agent field: a.index is the agent's index`);
  return {
    name,
    parameters: checkParameters(given['parameters'], fail),
    settings: checkSettings(given['settings'], fail),
    fields,
    states: checkNames(given['state'], 'state', 0, limits.states, fail),
    outputs: checkNames(given['outputs'], 'outputs', 1, limits.outputs, fail),
    helpers: checkHelpers(given['helpers'], fail),
    init: checkFunction(given['init'], 'init', fail),
    step: checkFunction(given['step'], 'step', fail),
  };
}
