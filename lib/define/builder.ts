// Registers, constants and instruction words of a program under construction.
import type { Kind } from './kinds.js';
import { WORDS, type Opcode } from './opcodes.js';

/** One function's instructions (init or step), five words each. */
export class InstructionBlock {
  private readonly words: number[] = [];

  get length(): number {
    return this.words.length / WORDS;
  }

  /** Appends an instruction and returns its index. */
  emit(op: Opcode, dst = 0, a = 0, b = 0, c = 0): number {
    this.words.push(op, dst, a, b, c);
    return this.length - 1;
  }

  /** Drops the last instruction (a loop left with an empty body). */
  dropLast(): void {
    this.words.length -= WORDS;
  }

  patch(instruction: number, word: number, value: number): void {
    this.words[instruction * WORDS + word] = value;
  }

  toInt32Array(): Int32Array {
    return Int32Array.from(this.words);
  }
}

export class ProgramBuilder {
  readonly registers: Kind[] = [];
  readonly constants: number[] = [];
  private readonly constantIndex = new Map<number, number>();

  newRegister(kind: Kind): number {
    this.registers.push(kind);
    return this.registers.length - 1;
  }

  /** Index of `value` in the constant table, added once. */
  constant(value: number): number {
    let index = this.constantIndex.get(value);
    if (index === undefined) {
      index = this.constants.push(value) - 1;
      this.constantIndex.set(value, index);
    }
    return index;
  }
}
