// A configured model: the native model (or defineModel program) it runs, its settings and its parameters.
import { invalidType, isPlainObject, outOfRange } from '../errors.js';
import { checkGraph, complete, wattsStrogatz, type Graph } from '../graphs/index.js';
import { native, type Constraint, type NativeModelInfo, type NativeProgram } from '../native.js';

export interface ParameterInfo {
  /** Name used in theta objects and tangent lists. */
  readonly name: string;
  /** real: (-inf, inf); positive: (0, inf); unit: [0, 1]. Decides the bijector used by inference. */
  readonly constraint: Constraint;
  /** The reference value from DESIGN.md, used as a default truth in examples and the CLI. */
  readonly reference: number;
}

/** A time-varying parameter: `parameter` is multiplied by the factor `name` on steps from <= t < to. */
export interface Intervention {
  /** Name of the factor, a parameter of the intervened model (positive, reference 1). */
  readonly name: string;
  /** The model parameter it scales. */
  readonly parameter: string;
  /** First step the factor applies to (step t produces the outputs of time t). */
  readonly from: number;
  /** First step it no longer applies to (default: never). */
  readonly to?: number;
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
  /** The contact graph, for models that read one (networkSir). */
  readonly graph?: Graph;
  /** Time-varying parameters (withIntervention); their factors are the last parameters. */
  readonly interventions: readonly Intervention[];
  /** The program of a model written with defineModel, run instead of the native model `name`. */
  readonly program?: NativeProgram;
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

// The contact graph of a graph model: the user's, or a Watts–Strogatz small world over `agents`.
function contactGraph(label: string, given: Record<string, unknown>, info: NativeModelInfo): Graph {
  const agents = given['agents'];
  if (given['graph'] !== undefined) {
    const graph = checkGraph(given['graph'], `${label}(options).graph`);
    if (agents !== undefined && agents !== graph.nodes) {
      throw new RangeError(`agents must equal the graph's ${graph.nodes} nodes (or be left out), got ${String(agents)}`);
    }
    return graph;
  }
  const spec = info.settings.find((s) => s.name === 'agents')!;
  const nodes = agents === undefined ? spec.default : checkSetting('agents', agents, spec.min, spec.max, spec.integer);
  return nodes <= 11 ? complete(nodes) : wattsStrogatz({ nodes, k: 10, rewire: 0.1, seed: 0 });
}

/**
 * Builds a Model from a catalogue entry (a native model's, or a defineModel program's) and user
 * options keyed by setting name (and `graph` for graph models). `label` names the factory in
 * error messages, e.g. 'models.sir'.
 */
export function buildModel(info: NativeModelInfo, options: unknown, label: string, program?: NativeProgram): Model {
  if (options !== undefined && !isPlainObject(options)) throw invalidType(`${label}(options)`, 'an object', options);
  const given = { ...((options ?? {}) as Record<string, unknown>) };
  const known = new Set(info.settings.map((s) => s.name));
  if (info.usesGraph) known.add('graph');
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      throw new TypeError(`'${key}' is not an option of ${label}; options are ${[...known].join(', ')}`);
    }
  }
  const graph = info.usesGraph ? contactGraph(label, given, info) : undefined;
  if (graph) given['agents'] = graph.nodes;
  const settings: Record<string, number> = {};
  for (const s of info.settings) {
    const value = given[s.name];
    settings[s.name] = value === undefined ? s.default : checkSetting(s.name, value, s.min, s.max, s.integer);
  }
  const parameters = info.parameters.map((p) => Object.freeze({ ...p }));
  return Object.freeze({
    name: info.name,
    parameters: Object.freeze(parameters),
    outputs: Object.freeze([...info.outputs]),
    settings: Object.freeze(settings),
    agents: settings['agents'] ?? 1,
    steps: settings['steps'] ?? 1,
    reference: Object.freeze(Object.fromEntries(parameters.map((p) => [p.name, p.reference]))),
    ...(graph ? { graph } : {}),
    interventions: Object.freeze([]),
    ...(program ? { program } : {}),
  });
}

/** Builds a Model from the native model `name` and user options (see buildModel). */
export function configureModel(name: string, options: unknown): Model {
  return buildModel(modelInfo(name), options, `models.${name}`);
}

export function isModel(value: unknown): value is Model {
  return isPlainObject(value) && typeof value['name'] === 'string' && Array.isArray(value['parameters']) &&
    isPlainObject(value['settings']);
}
