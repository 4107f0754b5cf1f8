// The public types of defineModel. They describe what init and step may use; the functions are
// never run, only read, so these types exist for the compiler: a misspelt field, parameter,
// setting, state variable or output is a compile error.
import type { Graph } from '../graphs/index.js';
import type { Model } from '../models/model.js';
import type { Constraint, NativeProgram } from '../native.js';

export interface ParameterSpec {
  /** real: (-inf, inf); positive: (0, inf); unit: [0, 1]. */
  readonly constraint: Constraint;
  /** A typical value inside the constraint, the model's `reference`. */
  readonly reference: number;
}

/**
 * A setting: its default (any finite number, in [-1e300, 1e300]), or the default with its range.
 * `agents` defaults to an integer in [1, 1e8], `steps` to one in [1, 1e6].
 */
export type SettingSpec = number | {
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
};

/** The draw site of a random number, 0..4095: names the stream a twin of a built-in model reads. */
export interface DrawOptions {
  readonly stream: number;
}

/** One agent inside m.forEachAgent or m.sum: its fields, and its index. */
export type Agent<F extends string> = { [K in F]: number } & { readonly index: number };

export interface Neighbours<F extends string> {
  /** The sum of one field over the agent's graph neighbours, as it was at the start of the step. */
  sum(read: (neighbour: Agent<F>) => number): number;
}

/** A spec-level helper: numbers in, a number out; called as m.helpers.name(...). */
export type Helper = (...args: number[]) => number;

/**
 * What init and step receive. P: parameter names, S: setting names (with agents and steps),
 * F: agent fields, St: state variables, O: outputs, H: helpers.
 */
export interface ModelContext<P extends string, S extends string, F extends string, St extends string, O extends string, H extends string> {
  /** Parameters, carried with their tangents. */
  readonly params: { readonly [K in P]: number };
  readonly settings: { readonly [K in S | 'agents' | 'steps']: number };
  /** Per-replicate state variables, kept from one step to the next (0 before init). */
  readonly state: { [K in St]: number };
  readonly helpers: { readonly [K in H]: Helper };
  /** The number of agents. */
  readonly agents: number;
  /** The step: 0 in init, 1..steps in step. */
  readonly t: number;
  /** Runs `body` for every agent (agent loops do not nest). */
  forEachAgent(body: (a: Agent<F>) => void): void;
  /** The total over agents of what `body` returns: one number, or an object of numbers. */
  sum(body: (a: Agent<F>) => number): number;
  sum<R extends Record<string, number>>(body: (a: Agent<F>) => R): { [K in keyof R]: number };
  /** The agent's contact-graph neighbours (step only; the model then takes a `graph` option). */
  neighbours(a: Agent<F>): Neighbours<F>;
  /** Uniform in (0, 1). */
  uniform(options?: DrawOptions): number;
  /** mean + sd · z, z ~ N(0, 1), reparameterised. */
  normal(mean: number, sd: number, options?: DrawOptions): number;
  /** One normal per replicate and step, shared by every agent. */
  commonNormal(options?: DrawOptions): number;
  commonNormal(mean: number, options?: DrawOptions): number;
  commonNormal(mean: number, sd: number, options?: DrawOptions): number;
  /** 1 with probability p, else 0, differentiated by the request's estimator mode. */
  bernoulli(p: number, options?: DrawOptions): number;
  /** 1[x > threshold], differentiated by the request's estimator mode. */
  above(x: number, threshold: number): number;
  /** An index 0..n-1 drawn with the given probabilities (2 to 16). */
  categorical(probabilities: readonly number[], options?: DrawOptions): number;
  /** Sets outputs; init must set every one, step keeps those it leaves out. */
  output(values: { [K in O]?: number }): void;
}

export interface ModelSpec<P extends string, S extends string, F extends string, St extends string, O extends string, H extends string> {
  /** An identifier, used as the model's name. */
  readonly name: string;
  /** 1 to 16 parameters. */
  readonly parameters: { readonly [K in P]: ParameterSpec };
  /** Settings and their defaults; agents and steps are always settings. At most 16 in all. */
  readonly settings?: { readonly [K in S]: SettingSpec };
  /** Per-agent fields (at most 64). */
  readonly agent?: readonly F[];
  /** Per-replicate state variables (at most 256). */
  readonly state?: readonly St[];
  /** 1 to 32 outputs, recorded after init and after every step. */
  readonly outputs: readonly O[];
  /** Functions inlined where init and step call them as m.helpers.name(...). */
  readonly helpers?: { readonly [K in H]: Helper };
  init(m: ModelContext<P, S, F, St, O, H>): void;
  step(m: ModelContext<P, S, F, St, O, H>): void;
}

/** Options of a defined model: its settings by name, and `graph` when it reads neighbours. */
export type ModelSettings<S extends string> = { readonly [K in S | 'agents' | 'steps']?: number } & { readonly graph?: Graph };

/** What defineModel returns: settings in, a Model out. */
export interface ModelFactory<S extends string = string> {
  (settings?: ModelSettings<S>): Model;
  /** The lowered program every model of this factory runs. */
  readonly program: NativeProgram;
  /** Whether the program reads a contact graph (m.neighbours): the factory then takes `graph`. */
  readonly usesGraph: boolean;
}
