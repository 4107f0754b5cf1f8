import test from 'ava';

import { native } from '../lib/native.js';
import { fixture } from './helpers.js';

const vectors = fixture('philox_kat.txt')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => line.trim().split(/\s+/));

test('the known-answer file holds six vectors', (t) => {
  t.is(vectors.length, 6);
});

for (const [rounds, c0, c1, c2, c3, k0, k1, ...expected] of vectors) {
  test(`Philox4x32-${rounds} of counter ${c0} ${c1} ${c2} ${c3}, key ${k0} ${k1}`, (t) => {
    const hex = (s: string | undefined) => parseInt(s!, 16);
    const words = native().internals.philox(Number(rounds) as 7 | 10, [c0, c1, c2, c3].map(hex), [k0, k1].map(hex));
    t.deepEqual(words.map((w) => w.toString(16).padStart(8, '0')), expected);
  });
}
