// What names stand for while a function is lowered: values, let variables, loop counters, helpers.
import type { Function as FunctionNode, Node } from 'acorn';

import type { Kind } from './kinds.js';
import type { FunctionSource } from './source.js';

/** A number held in a register. */
export interface NumberValue {
  readonly type: 'number';
  readonly register: number;
  readonly kind: Kind;
  /** Depends on parameters, draws or model state, so it may differ between replicates or runs. */
  readonly dynamic: boolean;
  /** Just written by the last instruction into a register nothing names: that write may be redirected. */
  readonly fresh: boolean;
  /** Held in a let variable's register, which later writes change: copy it to keep this value. */
  readonly mutable?: true;
}

/** The model object, `m`. */
export interface ModelValue {
  readonly type: 'model';
}

/** The agent of the enclosing agent loop, `a`. */
export interface AgentValue {
  readonly type: 'agent';
}

/** The totals of `m.sum((a) => ({ x: ..., y: ... }))`, read as `.x` and `.y`. */
export interface TotalsValue {
  readonly type: 'totals';
  readonly totals: ReadonlyMap<string, NumberValue>;
}

/** A function inlined where it is called. */
export interface HelperValue {
  readonly type: 'helper';
  readonly helper: HelperDefinition;
}

export type Value = NumberValue | ModelValue | AgentValue | TotalsValue | HelperValue;

export interface HelperDefinition {
  readonly name: string;
  readonly node: FunctionNode;
  /** The text the node belongs to (a spec-level helper has its own). */
  readonly source: FunctionSource;
  /** The scope it was defined in: its body sees those names. */
  readonly scope: Scope;
}

/** A `let`: one register, of the widest kind ever assigned to it. */
export interface Variable {
  readonly register: number;
  readonly kind: Kind;
  readonly dynamic: boolean;
  readonly declaration: Node;
  /** The agent loop it was declared in (0: none); only that loop may assign it. */
  readonly agentLoop: number;
  /** How many `if` guards enclosed its declaration; writes under more are guarded. */
  readonly guardDepth: number;
}

export type Binding =
  | { readonly type: 'const'; readonly value: Value; readonly what: string }
  | { readonly type: 'let'; readonly variable: Variable }
  | { readonly type: 'loopIndex'; readonly depth: number };

export class Scope {
  private readonly names = new Map<string, Binding>();

  constructor(private readonly parent?: Scope) {}

  declare(name: string, binding: Binding): void {
    this.names.set(name, binding);
  }

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}
