// Contact networks in compressed sparse row (CSR) form, the layout network models take.

import { describeValue, invalidType, isPlainObject, outOfRange } from '../errors.js';

/**
 * A graph in compressed sparse row form: the neighbours of node i are
 * `neighbours[offsets[i]] .. neighbours[offsets[i + 1] - 1]`. An undirected graph lists each edge
 * {u, v} twice, v among u's neighbours and u among v's.
 *
 * Invariants (checked by `checkGraph`): `offsets.length === nodes + 1`, `offsets[0] === 0`,
 * `offsets` non-decreasing, `offsets[nodes] === neighbours.length`, every neighbour in [0, nodes).
 */
export interface Graph {
  readonly nodes: number;
  readonly offsets: Int32Array;
  readonly neighbours: Int32Array;
}

export const MAX_NODES = 1e8;
/** Offsets are Int32Array, so a graph holds at most 2^31 - 1 neighbour entries. */
export const MAX_ENTRIES = 2 ** 31 - 1;

const NODES_RANGE = 'an integer in [0, 1e8]';

/** describeValue, naming typed arrays by their class. */
export function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return describeValue(value);
}

/** A node count in [min, max]. */
export function checkNodeCount(value: unknown, name: string, min = 0, max = MAX_NODES, allowed = NODES_RANGE): number {
  if (typeof value !== 'number') throw invalidType(name, allowed, value);
  if (!Number.isInteger(value) || value < min || value > max) throw outOfRange(name, allowed, value);
  return value;
}

type NumberArray = ArrayLike<number>;

function isNumberArray(value: unknown): value is NumberArray {
  if (Array.isArray(value)) return true;
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** An array of integers, as given (not yet range-checked, so not yet converted). */
function integerArray(value: unknown, name: string): NumberArray {
  const allowed = 'an Int32Array or an array of integers';
  if (!isNumberArray(value)) throw new TypeError(`${name} must be ${allowed}, got ${describe(value)}`);
  if (value.length > MAX_ENTRIES) throw outOfRange(`${name}.length`, 'at most 2^31 - 1', value.length);
  if (value instanceof Int32Array) return value;
  for (let i = 0; i < value.length; i++) {
    const x = value[i];
    if (typeof x !== 'number') throw invalidType(`${name}[${i}]`, 'an integer', x);
    if (!Number.isInteger(x)) throw outOfRange(`${name}[${i}]`, 'an integer', x);
  }
  return value;
}

function toInt32(values: NumberArray): Int32Array {
  return values instanceof Int32Array ? values : Int32Array.from(values);
}

function checkOffsets(offsets: NumberArray, entries: number, name: string): void {
  const first = offsets[0];
  if (first !== 0) throw outOfRange(`${name}.offsets[0]`, '0', first);
  for (let i = 1; i < offsets.length; i++) {
    const previous = offsets[i - 1]!;
    const offset = offsets[i]!;
    if (offset < previous || offset > entries) {
      throw outOfRange(`${name}.offsets[${i}]`, `>= ${name}.offsets[${i - 1}] (${previous}) and <= ${name}.neighbours.length (${entries})`, offset);
    }
  }
  const last = offsets.length - 1;
  if (offsets[last] !== entries) throw outOfRange(`${name}.offsets[${last}]`, `${name}.neighbours.length (${entries})`, offsets[last]);
}

function checkNeighbours(neighbours: NumberArray, nodes: number, name: string): void {
  for (let i = 0; i < neighbours.length; i++) {
    const node = neighbours[i]!;
    if (node < 0 || node >= nodes) throw outOfRange(`${name}.neighbours[${i}]`, `a node index in [0, ${name}.nodes - 1] = [0, ${nodes - 1}]`, node);
  }
}

/**
 * Validates a user-given graph `{ nodes, offsets, neighbours }` (arrays of numbers or Int32Arrays)
 * and returns it with Int32Array offsets and neighbours; Int32Arrays are kept, not copied. It does
 * not require the graph to be symmetric, simple or sorted.
 */
export function checkGraph(graph: unknown, name = 'graph'): Graph {
  if (!isPlainObject(graph)) throw invalidType(name, 'an object { nodes, offsets, neighbours }', graph);
  const nodes = checkNodeCount(graph.nodes, `${name}.nodes`);
  const offsets = integerArray(graph.offsets, `${name}.offsets`);
  const neighbours = integerArray(graph.neighbours, `${name}.neighbours`);
  if (offsets.length !== nodes + 1) {
    throw new RangeError(`${name}.offsets must have ${name}.nodes + 1 = ${nodes + 1} entries, got ${offsets.length}`);
  }
  checkOffsets(offsets, neighbours.length, name);
  checkNeighbours(neighbours, nodes, name);
  return { nodes, offsets: toInt32(offsets), neighbours: toInt32(neighbours) };
}

/** The degree (neighbour-list length) of every node. */
export function degrees(graph: Graph): Int32Array {
  const result = new Int32Array(graph.nodes);
  for (let i = 0; i < graph.nodes; i++) result[i] = graph.offsets[i + 1]! - graph.offsets[i]!;
  return result;
}

/** The number of undirected edges of a symmetric graph: half its neighbour entries. */
export function edgeCount(graph: Graph): number {
  return graph.neighbours.length / 2;
}

/** The neighbours of `node`, a view into `graph.neighbours`. */
export function neighboursOf(graph: Graph, node: number): Int32Array {
  return graph.neighbours.subarray(graph.offsets[node], graph.offsets[node + 1]);
}

function checkEntryCount(entries: number, what: string): void {
  if (entries > MAX_ENTRIES) throw new RangeError(`${what} has ${entries} neighbour entries; a graph holds at most 2^31 - 1`);
}

/** Sorts each node's neighbour list ascending, so a graph does not depend on construction order. */
function sortNeighbourLists(offsets: Int32Array, neighbours: Int32Array): void {
  for (let i = 0; i + 1 < offsets.length; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    if (end - start > 1) neighbours.subarray(start, end).sort();
  }
}

/** Turns per-node counts in offsets[1..] into running totals, in place. */
function accumulate(offsets: Int32Array): void {
  for (let i = 1; i < offsets.length; i++) offsets[i] = offsets[i]! + offsets[i - 1]!;
}

/**
 * The CSR graph of validated flat pairs [u0, v0, u1, v1, ...]: u -> v only when `directed`,
 * else both ways. Neighbour lists come out sorted.
 */
export function csrFromPairs(nodes: number, pairs: Int32Array, directed: boolean): Graph {
  const pairCount = pairs.length / 2;
  const entries = directed ? pairCount : 2 * pairCount;
  checkEntryCount(entries, 'the edge list');
  const offsets = new Int32Array(nodes + 1);
  for (let e = 0; e < pairs.length; e += 2) {
    offsets[pairs[e]! + 1]! += 1;
    if (!directed) offsets[pairs[e + 1]! + 1]! += 1;
  }
  accumulate(offsets);
  const cursor = offsets.slice(0, nodes);
  const neighbours = new Int32Array(entries);
  for (let e = 0; e < pairs.length; e += 2) {
    const u = pairs[e]!;
    const v = pairs[e + 1]!;
    neighbours[cursor[u]!++] = v;
    if (!directed) neighbours[cursor[v]!++] = u;
  }
  sortNeighbourLists(offsets, neighbours);
  return { nodes, offsets, neighbours };
}

/** The CSR graph of per-node neighbour lists. Neighbour lists come out sorted. */
export function csrFromLists(lists: readonly (readonly number[])[]): Graph {
  const nodes = lists.length;
  const offsets = new Int32Array(nodes + 1);
  for (let i = 0; i < nodes; i++) offsets[i + 1] = offsets[i]! + lists[i]!.length;
  const neighbours = new Int32Array(offsets[nodes]!);
  for (let i = 0; i < nodes; i++) neighbours.set(lists[i]!, offsets[i]!);
  sortNeighbourLists(offsets, neighbours);
  return { nodes, offsets, neighbours };
}
