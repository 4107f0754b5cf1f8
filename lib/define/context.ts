// The state of a lowering pass: the program being built, the kinds it assumes, and, per function
// (init or step), where the lowering stands (agent loop, for loops, if guards, helper calls).
import type { Node } from 'acorn';

import { InstructionBlock, ProgramBuilder } from './builder.js';
import { codeError, type ErrorClass } from './diagnostics.js';
import { DUAL, holds, isDual, perAgent, REAL, realOf, widest, type Kind } from './kinds.js';
import { Op, siteWord, type Opcode } from './opcodes.js';
import type { HelperDefinition, NumberValue } from './scope.js';
import type { FunctionSource } from './source.js';
import type { CheckedSpec } from './spec.js';

interface VariableAssumption {
  kind: Kind;
  dynamic: boolean;
}

/**
 * The kinds of fields, state variables and `let` variables, assumed before a pass and widened by
 * what the pass assigns to them; lowering repeats until a pass widens nothing.
 */
export class KindAssumptions {
  readonly fields: Kind[];
  readonly states: Kind[];
  private readonly variables = new Map<Node, VariableAssumption>();
  widened = false;

  constructor(spec: CheckedSpec) {
    this.fields = spec.fields.map(() => REAL);
    this.states = spec.states.map(() => REAL);
  }

  noteField(field: number, kind: Kind): void {
    this.widen(this.fields, field, isDual(kind) ? DUAL : REAL);
  }

  noteState(state: number, kind: Kind): void {
    this.widen(this.states, state, isDual(kind) ? DUAL : REAL);
  }

  /** The assumed kind of the variable declared at `declaration`, at least that of its initial value. */
  variable(declaration: Node, initial: NumberValue): VariableAssumption {
    const assumed = this.variables.get(declaration) ?? { kind: initial.kind, dynamic: initial.dynamic };
    this.variables.set(declaration, assumed);
    this.noteVariable(declaration, initial.kind, initial.dynamic);
    return assumed;
  }

  noteVariable(declaration: Node, kind: Kind, dynamic: boolean): void {
    const assumed = this.variables.get(declaration)!;
    if (!holds(assumed.kind, kind) || (dynamic && !assumed.dynamic)) {
      assumed.kind = widest(assumed.kind, kind);
      assumed.dynamic ||= dynamic;
      this.widened = true;
    }
  }

  private widen(kinds: Kind[], index: number, kind: Kind): void {
    if (!holds(kinds[index]!, kind)) {
      kinds[index] = widest(kinds[index]!, kind);
      this.widened = true;
    }
  }
}

/** A draw instruction whose site word is filled in once every explicit stream is known. */
export interface DrawSite {
  readonly block: InstructionBlock;
  readonly instruction: number;
  readonly word: number;
  readonly stream?: number;
}

/** What init and step share in one pass. */
export class ProgramLowering {
  readonly builder = new ProgramBuilder();
  readonly draws: DrawSite[] = [];
  usesGraph = false;

  constructor(
    readonly spec: CheckedSpec,
    readonly kinds: KindAssumptions,
    readonly helperSources: ReadonlyMap<string, FunctionSource>,
  ) {}
}

export type Phase = 'init' | 'step';

export class FunctionLowering {
  readonly block = new InstructionBlock();
  /** Id of the agent loop being lowered (0: none). */
  agentLoop = 0;
  /** Nesting depth of for loops (LOOP) around the instruction being lowered. */
  loopDepth = 0;
  /** The combined condition of the enclosing ifs, one per level (the last applies). */
  readonly guards: NumberValue[] = [];
  /** Helpers being inlined, innermost last (recursion is refused). */
  readonly helperCalls: HelperDefinition[] = [];
  readonly outputsWritten = new Set<string>();
  private agentLoops = 0;
  private readonly streams = new Set<number>();
  /** The register the last instruction wrote into a fresh register, else -1. */
  private lastFresh = -1;

  constructor(
    readonly program: ProgramLowering,
    readonly phase: Phase,
    /** The text being lowered: the function's own, or a spec helper's while it is inlined. */
    public source: FunctionSource,
  ) {}

  get spec(): CheckedSpec {
    return this.program.spec;
  }

  get kinds(): KindAssumptions {
    return this.program.kinds;
  }

  /** The source text of `node`, for messages. */
  textOf(node: Node): string {
    return this.source.text.slice(node.start - this.source.shift, node.end - this.source.shift);
  }

  fail(node: Node, ErrorType: ErrorClass, problem: string): never {
    throw codeError(this.source, node.start, ErrorType, problem);
  }

  /** An instruction writing a new register of `kind`. */
  compute(op: Opcode, kind: Kind, dynamic: boolean, a = 0, b = 0, c = 0): NumberValue {
    const register = this.program.builder.newRegister(kind);
    this.block.emit(op, register, a, b, c);
    this.lastFresh = register;
    return { type: 'number', register, kind, dynamic, fresh: true };
  }

  /** An instruction writing no register (or an existing one); returns its index. */
  effect(op: Opcode, dst: number, a = 0, b = 0, c = 0): number {
    this.lastFresh = -1;
    return this.block.emit(op, dst, a, b, c);
  }

  /**
   * Ends the loop (AGENT_LOOP or LOOP) at instruction `loop`: writes its body length, or drops it
   * when its body is empty (a loop body holds at least one instruction).
   */
  closeLoop(loop: number): void {
    const length = this.block.length - loop - 1;
    if (length === 0) this.block.dropLast();
    else this.block.patch(loop, 2, length);
  }

  constant(value: number): NumberValue {
    return this.compute(Op.CONST, REAL, false, this.program.builder.constant(value));
  }

  /** Arithmetic: agent if any operand is, dual if any is (comparisons and logic: never dual). */
  arithmetic(op: Opcode, operands: readonly NumberValue[], real = false): NumberValue {
    const kind = widest(...operands.map((o) => o.kind));
    const [a, b, c] = operands.map((o) => o.register);
    return this.compute(op, real ? realOf(kind) : kind, operands.some((o) => o.dynamic), a, b, c);
  }

  /** `kind`, per agent inside an agent loop: the kind of a draw's result. */
  perAgentInLoop(kind: Kind): Kind {
    return this.insideAgentLoop ? perAgent(kind) : kind;
  }

  /** A draw whose site word is filled in later. */
  draw(op: Opcode, kind: Kind, stream: number | undefined, a = 0, b = 0): NumberValue {
    const value = this.compute(op, kind, true, a, b);
    const site = { block: this.block, instruction: this.block.length - 1, word: siteWord.get(op)! };
    this.program.draws.push(stream === undefined ? site : { ...site, stream });
    return value;
  }

  /** Claims an explicit stream; two draws of one function may not share it. */
  claimStream(node: Node, stream: number): void {
    if (this.streams.has(stream)) this.fail(node, RangeError, `stream ${stream} is used by another draw in ${this.phase}; give each draw its own stream`);
    this.streams.add(stream);
  }

  /** Writes `value` into `register` (of kind `kind`): by redirecting the instruction that just computed it, else by a copy. */
  copyInto(register: number, kind: Kind, value: NumberValue): void {
    const registers = this.program.builder.registers;
    if (value.fresh && value.register === this.lastFresh && registers[value.register] === kind && value.register === registers.length - 1) {
      this.block.patch(this.block.length - 1, 1, register);
      registers.pop();
      this.lastFresh = -1;
      return;
    }
    this.effect(Op.COPY, register, value.register);
  }

  /** A real condition: the value itself when real, else value != 0. */
  truth(value: NumberValue): NumberValue {
    if (!isDual(value.kind)) return value;
    return this.arithmetic(Op.NE, [value, this.constant(0)], true);
  }

  /** The guard of a write to something declared under `depth` guards, if the write is under more. */
  guardAbove(depth: number): NumberValue | undefined {
    return this.guards.length > depth ? this.guards[this.guards.length - 1] : undefined;
  }

  newAgentLoop(): number {
    return ++this.agentLoops;
  }

  get insideAgentLoop(): boolean {
    return this.agentLoop !== 0;
  }
}

/** A value as read through a name: it may be read again, so its register must not be redirected. */
export function named(value: NumberValue): NumberValue {
  return value.fresh ? { ...value, fresh: false } : value;
}
