// A disassembler of programs, one line per instruction, for tests, error reports and debugging:
//   step[12]   r9:AD = MUL r4 r8
import type { NativeProgram } from '../native.js';
import { kindName, type Kind } from './kinds.js';
import { layouts, WORDS, type Operand } from './opcodes.js';

function operandText(program: NativeProgram, operand: Operand, word: number, words: readonly number[]): string {
  switch (operand) {
    case 'register':
      return `r${word}`;
    case 'constant':
      return String(program.constants[word]);
    case 'parameter':
      return program.parameters[word]?.name ?? `parameter#${word}`;
    case 'setting':
      return program.settings[word]?.name ?? `setting#${word}`;
    case 'output':
      return program.outputs[word] ?? `output#${word}`;
    case 'state':
      return `state#${word}`;
    case 'field':
      return `field#${word}`;
    case 'site':
      return `site ${word}`;
    case 'depth':
      return `depth ${word}`;
    case 'accumulator':
      return `acc ${word}`;
    case 'count':
      return `count ${word}`;
    case 'accumulators':
      return words[3] === 0 ? '' : `accumulators ${word}`;
    case 'body':
      return `body ${word}`;
    case 'agentLoopKind':
      return word === 0 ? 'forEach' : 'sum';
    case 'loopKind':
      return '';
    case 'loopCount':
      return words[3] === 1 ? `× settings.${program.settings[word]?.name ?? `#${word}`}` : `× ${program.constants[word]}`;
  }
}

function describeBlock(program: NativeProgram, label: string, code: Int32Array, names: { fields: readonly string[]; states: readonly string[] }): string[] {
  const lines: string[] = [];
  const ends: number[] = []; // where each enclosing loop body ends
  for (let i = 0; i * WORDS < code.length; i++) {
    while (ends.length > 0 && ends[ends.length - 1]! < i) ends.pop();
    const words = Array.from(code.subarray(i * WORDS, (i + 1) * WORDS));
    const [op, dst] = words as [number, number];
    const layout = layouts.get(op);
    const indent = '  '.repeat(ends.length);
    if (!layout) {
      lines.push(`${label}[${i}] ${indent}?? ${words.join(' ')}`);
      continue;
    }
    const operands = layout.operands.map((operand, k) => {
      const word = words[2 + k]!;
      if (operand === 'field') return names.fields[word] ?? `field#${word}`;
      if (operand === 'state') return names.states[word] ?? `state#${word}`;
      return operandText(program, operand, word, words);
    }).filter((text) => text !== '');
    const target = layout.writes ? `r${dst}:${kindName(program.registers[dst] as Kind)} = ` : '';
    lines.push(`${label}[${i}] ${indent}${target}${[layout.name, ...operands].join(' ')}`);
    if (layout.name === 'AGENT_LOOP' || layout.name === 'LOOP') ends.push(i + words[2]!);
  }
  return lines;
}

/**
 * One line per instruction of init then step, e.g. `step[3]   r5:RD = DIV r3 r4`: register
 * operands by number, written registers with their kind (R, RD, A, AD), loop bodies indented.
 * Field and state names are given by `names` (a program holds only their kinds).
 */
export function describeProgram(program: NativeProgram, names: { fields?: readonly string[]; states?: readonly string[] } = {}): string[] {
  const known = { fields: names.fields ?? [], states: names.states ?? [] };
  return [...describeBlock(program, 'init', program.init, known), ...describeBlock(program, 'step', program.step, known)];
}
