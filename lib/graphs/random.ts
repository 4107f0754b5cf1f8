// A small seeded PRNG for the graph generators. lib/gvi/random.ts draws through the native addon;
// graphs are built in TypeScript and must not need the addon, so they use xoshiro128** (Blackman &
// Vigna 2018) in 32-bit integer arithmetic. Every operation is exact integer or IEEE-754 arithmetic,
// so a seed gives the same stream on every platform.

import { outOfRange, invalidType } from '../errors.js';

export type Seed = number | bigint;

const TWO_32 = 2 ** 32;
const SEED_RANGE = 'an integer in [0, 2^53 - 1] or a bigint in [0, 2^64 - 1]';

/** A seed option, default 0. */
export function checkSeed(value: unknown, name: string): Seed {
  if (value === undefined) return 0;
  if (typeof value === 'bigint') {
    if (value < 0n || value >= 1n << 64n) throw outOfRange(name, SEED_RANGE, value);
    return value;
  }
  if (typeof value !== 'number') throw invalidType(name, SEED_RANGE, value);
  if (!Number.isSafeInteger(value) || value < 0) throw outOfRange(name, SEED_RANGE, value);
  return value;
}

/** The seed's low and high 32 bits; a number seed and the equal bigint give the same halves. */
function seedHalves(seed: Seed): [number, number] {
  if (typeof seed === 'bigint') return [Number(seed & 0xffffffffn), Number((seed >> 32n) & 0xffffffffn)];
  return [seed % TWO_32, Math.floor(seed / TWO_32)];
}

/** MurmurHash3's finaliser: a bijection on 32-bit integers that mixes every bit into every other. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /**
   * The stream for `seed`. Every state word depends on both halves of the seed (xoshiro's first
   * output is a function of s1 alone), and (s0, s1) determines the seed, so distinct seeds give
   * distinct states.
   */
  constructor(seed: Seed = 0) {
    const [low, high] = seedHalves(seed);
    const s0 = fmix32(low ^ fmix32(high ^ 0x243f6a88));
    const s1 = fmix32(high ^ fmix32(s0 ^ 0x85a308d3));
    const s2 = fmix32(s0 ^ Math.imul(s1 ^ 0x13198a2e, 0x9e3779b1));
    const s3 = fmix32(s1 ^ Math.imul(s2 ^ 0x03707344, 0x7feb352d));
    // The all-zero state is the one state xoshiro never leaves.
    [this.s0, this.s1, this.s2, this.s3] = (s0 | s1 | s2 | s3) === 0 ? [1, 0, 0, 0] : [s0, s1, s2, s3];
  }

  /** A generator started from a raw state, for checking against the reference implementation. */
  static fromState(state: readonly [number, number, number, number]): Xoshiro128 {
    const generator = new Xoshiro128();
    [generator.s0, generator.s1, generator.s2, generator.s3] = state.map((word) => word >>> 0) as [number, number, number, number];
    return generator;
  }

  /** The next 32-bit output, an integer in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 2 ** 26 + low) / 2 ** 53;
  }

  /** A uniform integer in [0, n), n in [1, 2^32], without modulo bias. */
  below(n: number): number {
    const limit = TWO_32 - (TWO_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }
}
