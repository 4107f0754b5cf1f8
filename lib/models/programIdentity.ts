// A digest of everything in a model program, so that a checkpoint written for one program is never
// resumed with another (every word that changes the numbers is in it).
import { createHash } from 'node:crypto';
import type { NativeProgram } from '../native.js';

export function programIdentity(program: NativeProgram): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ name: program.name, parameters: program.parameters, settings: program.settings, outputs: program.outputs }));
  for (const words of [program.fields, program.states, program.registers, program.constants, program.init, program.step]) {
    hash.update(String(words.length));
    hash.update(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
  }
  return hash.digest('hex');
}
