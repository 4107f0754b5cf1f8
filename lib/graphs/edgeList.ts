import { invalidType, isPlainObject, outOfRange } from '../errors.js';
import { checkNodeCount, csrFromPairs, describe, MAX_ENTRIES, type Graph } from './graph.js';

export interface EdgeListOptions {
  /** Each edge (u, v) only adds v to u's neighbours (default false: it also adds u to v's). */
  directed?: boolean;
}

export type EdgeList = ArrayLike<readonly [number, number]> | Int32Array;

const EDGES_ALLOWED = 'an array of [u, v] pairs or an Int32Array of flat pairs [u0, v0, u1, v1, ...]';

function checkDirected(options: unknown): boolean {
  if (options === undefined) return false;
  if (!isPlainObject(options)) throw invalidType('options', 'an object { directed }', options);
  for (const key of Object.keys(options)) {
    if (key !== 'directed') throw new TypeError(`'${key}' is not an option of fromEdgeList; options are directed`);
  }
  const directed = options.directed ?? false;
  if (typeof directed !== 'boolean') throw invalidType('options.directed', 'a boolean', directed);
  return directed;
}

function checkEndpoints(u: unknown, v: unknown, nodes: number, name: string): void {
  const allowed = `a pair of node indices in [0, nodes - 1] = [0, ${nodes - 1}]`;
  const shown = `[${describe(u)}, ${describe(v)}]`;
  if (typeof u !== 'number' || typeof v !== 'number') throw new TypeError(`${name} must be ${allowed}, got ${shown}`);
  const inRange = (x: number) => Number.isInteger(x) && x >= 0 && x < nodes;
  if (!inRange(u) || !inRange(v)) throw new RangeError(`${name} must be ${allowed}, got ${shown}`);
  if (u === v) throw new RangeError(`${name} must join two different nodes (self-loops are not allowed), got ${shown}`);
}

function checkEdgeCount(count: number, directed: boolean): void {
  const max = directed ? MAX_ENTRIES : Math.floor(MAX_ENTRIES / 2);
  if (count > max) {
    throw new RangeError(`edges must hold at most ${max} ${directed ? 'directed' : 'undirected'} edges (2^31 - 1 neighbour entries), got ${count}`);
  }
}

function checkFlatPairs(edges: Int32Array, nodes: number, directed: boolean): Int32Array {
  if (edges.length % 2 !== 0) throw outOfRange('edges.length', 'even (an Int32Array of flat pairs)', edges.length);
  checkEdgeCount(edges.length / 2, directed);
  for (let i = 0; i < edges.length; i += 2) checkEndpoints(edges[i], edges[i + 1], nodes, `edges[${i}..${i + 1}]`);
  return edges;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return false;
  const length = (value as { length?: unknown }).length;
  return typeof length === 'number' && Number.isSafeInteger(length) && length >= 0;
}

function isPair(value: unknown): value is ArrayLike<unknown> {
  return (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) && (value as ArrayLike<unknown>).length === 2;
}

function flattenPairs(edges: ArrayLike<unknown>, nodes: number, directed: boolean): Int32Array {
  checkEdgeCount(edges.length, directed);
  const pairs = new Int32Array(2 * edges.length);
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i];
    if (!isPair(edge)) throw invalidType(`edges[${i}]`, 'a pair [u, v] of node indices', edge);
    checkEndpoints(edge[0], edge[1], nodes, `edges[${i}]`);
    pairs[2 * i] = edge[0] as number;
    pairs[2 * i + 1] = edge[1] as number;
  }
  return pairs;
}

/**
 * The CSR graph on nodes 0 .. nodes - 1 with the given edges, undirected unless
 * `options.directed`. Self-loops and endpoints outside [0, nodes) are rejected. Duplicate edges are
 * kept as given: an edge listed twice appears twice in each neighbour list, so it counts twice in
 * infection pressure. Each neighbour list is sorted ascending.
 */
export function fromEdgeList(nodes: number, edges: EdgeList, options?: EdgeListOptions): Graph {
  const n = checkNodeCount(nodes, 'nodes');
  const directed = checkDirected(options);
  let pairs: Int32Array;
  if (edges instanceof Int32Array) pairs = checkFlatPairs(edges, n, directed);
  else if (isArrayLike(edges)) pairs = flattenPairs(edges, n, directed);
  else throw new TypeError(`edges must be ${EDGES_ALLOWED}, got ${describe(edges)}`);
  return csrFromPairs(n, pairs, directed);
}
