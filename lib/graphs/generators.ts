// Seeded random-graph generators. A seed gives the same graph on every platform: draws come from
// lib/graphs/random.ts, and the one inexact floating-point function used, Math.log1p, is V8's own
// port of fdlibm rather than the platform's libm.

import { invalidType, isPlainObject, outOfRange } from '../errors.js';
import { checkNodeCount, csrFromLists, csrFromPairs, MAX_ENTRIES, MAX_NODES, type Graph } from './graph.js';
import { checkSeed, Xoshiro128, type Seed } from './random.js';

export interface ErdosRenyiOptions {
  nodes: number;
  /** Probability of each of the nodes (nodes - 1) / 2 edges; give this or meanDegree. */
  p?: number;
  /** Expected degree p (nodes - 1); give this or p. */
  meanDegree?: number;
  /** Default 0. */
  seed?: Seed;
}

export interface WattsStrogatzOptions {
  nodes: number;
  /** Lattice degree: each node starts joined to k / 2 neighbours on each side. */
  k: number;
  /** Probability that each lattice edge is rewired to a new endpoint. */
  rewire: number;
  /** Default 0. */
  seed?: Seed;
}

/** The largest complete graph within 2^31 - 1 neighbour entries: 46341 * 46340 < 2^31 - 1. */
const MAX_COMPLETE_NODES = 46341;

function checkOptions(generator: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(options)) throw invalidType(`${generator}: options`, `an object { ${known.join(', ')} }`, options);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`'${key}' is not an option of ${generator}; options are ${known.join(', ')}`);
  }
  return options;
}

function checkNumberIn(value: unknown, name: string, min: number, max: number, allowed: string): number {
  if (typeof value !== 'number') throw invalidType(name, allowed, value);
  if (!(value >= min && value <= max)) throw outOfRange(name, allowed, value);
  return value;
}

function checkProbability(value: unknown, name: string): number {
  return checkNumberIn(value, name, 0, 1, 'a probability in [0, 1]');
}

function edgeProbability(options: Record<string, unknown>, nodes: number): number {
  const { p, meanDegree } = options;
  if ((p === undefined) === (meanDegree === undefined)) {
    throw new TypeError(`erdosRenyi: give exactly one of p and meanDegree, got ${p === undefined ? 'neither' : 'both'}`);
  }
  if (p !== undefined) return checkProbability(p, 'erdosRenyi: p');
  const maxDegree = Math.max(nodes - 1, 0);
  const degree = checkNumberIn(meanDegree, 'erdosRenyi: meanDegree', 0, maxDegree, `a number in [0, nodes - 1] = [0, ${maxDegree}]`);
  return nodes > 1 ? Math.min(degree / (nodes - 1), 1) : 0;
}

/** A growable buffer of flat node pairs. */
class PairBuffer {
  private data: Int32Array;
  private length = 0;

  constructor(expectedPairs: number) {
    this.data = new Int32Array(2 * Math.max(16, Math.ceil(expectedPairs)));
  }

  push(u: number, v: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Int32Array(2 * this.data.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = u;
    this.data[this.length++] = v;
  }

  pairs(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * The edges (v, w), w < v, of G(nodes, p) in O(nodes + edges) time: rather than testing every pair,
 * jump straight to the next edge over a geometric number of skipped pairs (Batagelj & Brandes 2005,
 * "Efficient generation of large random networks", algorithm G(n, p)).
 */
function sampleGnpPairs(nodes: number, p: number, random: Xoshiro128): Int32Array {
  const expectedPairs = (p * nodes * (nodes - 1)) / 2;
  const buffer = new PairBuffer(expectedPairs + 4 * Math.sqrt(expectedPairs));
  if (p === 0) return buffer.pairs();
  const logNoEdge = Math.log1p(-p);
  let v = 1;
  let w = -1;
  while (v < nodes) {
    // 1 - uniform() lies in (0, 1], so the log is finite; when p === 1 the skip is always 0.
    w += 1 + Math.floor(Math.log1p(-random.uniform()) / logNoEdge);
    while (w >= v && v < nodes) {
      w -= v;
      v += 1;
    }
    if (v < nodes) buffer.push(v, w);
  }
  return buffer.pairs();
}

/**
 * An Erdős–Rényi G(n, p) graph: undirected and simple, each of the n (n - 1) / 2 pairs joined
 * independently with probability p (or meanDegree / (n - 1)). O(n + edges) time and memory.
 */
export function erdosRenyi(options: ErdosRenyiOptions): Graph {
  const given = checkOptions('erdosRenyi', options, ['nodes', 'p', 'meanDegree', 'seed']);
  const nodes = checkNodeCount(given.nodes, 'erdosRenyi: nodes');
  const p = edgeProbability(given, nodes);
  const random = new Xoshiro128(checkSeed(given.seed, 'erdosRenyi: seed'));
  const expectedEntries = p * nodes * (nodes - 1);
  if (expectedEntries > MAX_ENTRIES) {
    throw new RangeError(
      `erdosRenyi: the expected neighbour entries p nodes (nodes - 1) must be at most 2^31 - 1, got ${Math.round(expectedEntries)}; lower p, meanDegree or nodes`,
    );
  }
  return csrFromPairs(nodes, sampleGnpPairs(nodes, p, random), false);
}

/** The graph with every pair of its nodes joined. */
export function complete(nodes: number): Graph {
  const n = checkNodeCount(nodes, 'complete: nodes', 0, MAX_COMPLETE_NODES, `an integer in [0, ${MAX_COMPLETE_NODES}] (at most 2^31 - 1 neighbour entries)`);
  const offsets = new Int32Array(n + 1);
  const neighbours = new Int32Array(n * (n - 1));
  let entry = 0;
  for (let u = 0; u < n; u++) {
    offsets[u] = entry;
    for (let v = 0; v < n; v++) if (v !== u) neighbours[entry++] = v;
  }
  offsets[n] = entry;
  return { nodes: n, offsets, neighbours };
}

function checkLatticeNodes(value: unknown, generator: string): number {
  return checkNodeCount(value, `${generator}: nodes`, 3, MAX_NODES, 'an integer in [3, 1e8]');
}

function checkLatticeDegree(value: unknown, nodes: number, generator: string): number {
  const name = `${generator}: k`;
  const allowed = `an even integer in [2, nodes - 1] = [2, ${nodes - 1}]`;
  if (typeof value !== 'number') throw invalidType(name, allowed, value);
  if (!Number.isInteger(value) || value % 2 !== 0 || value < 2 || value > nodes - 1) throw outOfRange(name, allowed, value);
  if (nodes * value > MAX_ENTRIES) {
    throw new RangeError(`${generator}: nodes k, the neighbour entries, must be at most 2^31 - 1, got ${nodes * value}`);
  }
  return value;
}

/** Neighbour lists of the ring lattice: u joined to u ± 1, ..., u ± k / 2 (mod nodes). */
function ringLists(nodes: number, k: number): number[][] {
  return Array.from({ length: nodes }, (_, u) => {
    const list: number[] = [];
    for (let j = 1; j <= k / 2; j++) list.push((u + j) % nodes, (u - j + nodes) % nodes);
    return list;
  });
}

/** A ring lattice: node u joined to u ± 1, ..., u ± k / 2 (mod nodes); k even in [2, nodes - 1]. */
export function ring(nodes: number, k: number): Graph {
  const n = checkLatticeNodes(nodes, 'ring');
  return csrFromLists(ringLists(n, checkLatticeDegree(k, n, 'ring')));
}

function removeFrom(list: number[], node: number): void {
  const index = list.indexOf(node);
  list[index] = list[list.length - 1]!;
  list.pop();
}

/** A node drawn uniformly among those that are neither u nor a neighbour of u; -1 if there is none. */
function newNeighbour(lists: readonly number[][], u: number, random: Xoshiro128): number {
  const nodes = lists.length;
  const current = lists[u]!;
  const free = nodes - 1 - current.length;
  if (free <= 0) return -1;
  // Rejection needs about nodes / free draws, so once u is joined to over half the graph, count
  // through the free nodes to a uniformly drawn one instead.
  if (2 * free >= nodes) {
    for (;;) {
      const w = random.below(nodes);
      if (w !== u && !current.includes(w)) return w;
    }
  }
  const taken = new Uint8Array(nodes);
  taken[u] = 1;
  for (const v of current) taken[v] = 1;
  let rank = random.below(free);
  for (let w = 0; ; w++) {
    if (taken[w]) continue;
    if (rank === 0) return w;
    rank -= 1;
  }
}

/**
 * Rewires each lattice edge (u, u + j) with probability `rewire` to (u, w), w uniform among the
 * nodes not u and not already joined to u, in the order of networkx's watts_strogatz_graph
 * (j = 1 .. k / 2 outer, u inner). A node already joined to every other keeps its edge.
 */
function rewireLattice(lists: number[][], k: number, rewire: number, random: Xoshiro128): void {
  const nodes = lists.length;
  for (let j = 1; j <= k / 2; j++) {
    for (let u = 0; u < nodes; u++) {
      if (!(random.uniform() < rewire)) continue;
      const w = newNeighbour(lists, u, random);
      if (w < 0) continue;
      const v = (u + j) % nodes;
      removeFrom(lists[u]!, v);
      removeFrom(lists[v]!, u);
      lists[u]!.push(w);
      lists[w]!.push(u);
    }
  }
}

/**
 * A Watts–Strogatz small-world graph: the ring lattice `ring(nodes, k)` with each lattice edge
 * rewired with probability `rewire`. Undirected and simple (no self-loops or multi-edges); always
 * nodes k / 2 edges, and every node keeps degree >= k / 2.
 */
export function wattsStrogatz(options: WattsStrogatzOptions): Graph {
  const given = checkOptions('wattsStrogatz', options, ['nodes', 'k', 'rewire', 'seed']);
  const nodes = checkLatticeNodes(given.nodes, 'wattsStrogatz');
  const k = checkLatticeDegree(given.k, nodes, 'wattsStrogatz');
  const rewire = checkProbability(given.rewire, 'wattsStrogatz: rewire');
  const random = new Xoshiro128(checkSeed(given.seed, 'wattsStrogatz: seed'));
  const lists = ringLists(nodes, k);
  rewireLattice(lists, k, rewire, random);
  return csrFromLists(lists);
}
