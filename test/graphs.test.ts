import test, { type ExecutionContext } from 'ava';

import { checkGraph, complete, degrees, edgeCount, erdosRenyi, fromEdgeList, neighboursOf, ring, wattsStrogatz, type Graph } from '../lib/graphs/index.js';
import { Xoshiro128 } from '../lib/graphs/random.js';

function list(graph: Graph, node: number): number[] {
  return Array.from(neighboursOf(graph, node));
}

/** Undirected and simple: every list strictly increasing (no multi-edges), no self-loops, u in v's list iff v in u's. */
function assertSimpleUndirected(t: ExecutionContext, graph: Graph): void {
  const adjacent = new Set<string>();
  for (let u = 0; u < graph.nodes; u++) {
    const neighbours = list(graph, u);
    neighbours.forEach((v, i) => {
      if (v === u) t.fail(`self-loop at ${u}`);
      if (i > 0 && v <= neighbours[i - 1]!) t.fail(`list of ${u} not strictly increasing: ${neighbours.join(',')}`);
      adjacent.add(`${u},${v}`);
    });
  }
  for (const key of adjacent) {
    const [u, v] = key.split(',');
    if (!adjacent.has(`${v},${u}`)) t.fail(`${u} -> ${v} without ${v} -> ${u}`);
  }
  t.pass();
}

function sameGraph(a: Graph, b: Graph): boolean {
  return a.nodes === b.nodes && a.offsets.join() === b.offsets.join() && a.neighbours.join() === b.neighbours.join();
}

/** Mean over nodes of (edges among the node's neighbours) / (d (d - 1) / 2), 0 where d < 2. */
function meanClustering(graph: Graph): number {
  const marked = new Uint8Array(graph.nodes);
  let total = 0;
  for (let u = 0; u < graph.nodes; u++) {
    const neighbours = neighboursOf(graph, u);
    const d = neighbours.length;
    if (d < 2) continue;
    for (const v of neighbours) marked[v] = 1;
    let links = 0;
    for (const v of neighbours) for (const w of neighboursOf(graph, v)) links += marked[w]!;
    for (const v of neighbours) marked[v] = 0;
    total += links / 2 / ((d * (d - 1)) / 2);
  }
  return total / graph.nodes;
}

test('xoshiro128** matches the reference outputs from state [1, 2, 3, 4]', (t) => {
  const random = Xoshiro128.fromState([1, 2, 3, 4]);
  t.deepEqual([random.nextUint32(), random.nextUint32(), random.nextUint32()], [11520, 0, 5927040]);
});

test('seeded streams: number and bigint seeds agree, seeds differ, uniforms in [0, 1), below() in range', (t) => {
  const draws = (seed: number | bigint) => {
    const random = new Xoshiro128(seed);
    return Array.from({ length: 4 }, () => random.nextUint32());
  };
  t.deepEqual(draws(7), draws(7n));
  t.deepEqual(draws(2 ** 40 + 3), draws(2n ** 40n + 3n));
  t.notDeepEqual(draws(0), draws(1));
  t.notDeepEqual(draws(1), draws(2 ** 32 + 1));
  // xoshiro's first output depends on one state word only, so seeding must mix the whole seed into it.
  const firstOutputs = new Set<number>();
  for (let seed = 0; seed < 1000; seed++) firstOutputs.add(new Xoshiro128(seed).nextUint32());
  for (let high = 0; high < 1000; high++) firstOutputs.add(new Xoshiro128(high * 2 ** 32).nextUint32());
  t.true(firstOutputs.size >= 1999, `${firstOutputs.size} distinct first outputs of 2000 seeds`);
  const random = new Xoshiro128(3);
  for (let i = 0; i < 10000; i++) {
    const u = random.uniform();
    if (!(u >= 0 && u < 1)) t.fail(`uniform ${u}`);
    const k = random.below(7);
    if (!(Number.isInteger(k) && k >= 0 && k < 7)) t.fail(`below(7) ${k}`);
  }
  t.pass();
});

test('complete(5): 20 neighbour entries, every degree 4, sorted lists', (t) => {
  const graph = complete(5);
  t.is(graph.neighbours.length, 20);
  t.is(edgeCount(graph), 10);
  t.deepEqual(Array.from(degrees(graph)), [4, 4, 4, 4, 4]);
  t.deepEqual(Array.from(graph.offsets), [0, 4, 8, 12, 16, 20]);
  t.deepEqual(list(graph, 2), [0, 1, 3, 4]);
  assertSimpleUndirected(t, graph);
  t.deepEqual(Array.from(complete(1).offsets), [0, 0]);
  t.deepEqual(Array.from(complete(0).offsets), [0]);
});

test('fromEdgeList: known CSR, undirected and directed, pairs or flat Int32Array', (t) => {
  const edges: [number, number][] = [[2, 0], [0, 1], [2, 3], [1, 2]];
  const graph = fromEdgeList(4, edges);
  t.is(graph.nodes, 4);
  t.deepEqual(Array.from(graph.offsets), [0, 2, 4, 7, 8]);
  t.deepEqual(Array.from(graph.neighbours), [1, 2, 0, 2, 0, 1, 3, 2]);
  t.true(sameGraph(fromEdgeList(4, Int32Array.from([2, 0, 0, 1, 2, 3, 1, 2])), graph));
  const directed = fromEdgeList(4, edges, { directed: true });
  t.deepEqual(Array.from(directed.offsets), [0, 1, 2, 4, 4]);
  t.deepEqual(Array.from(directed.neighbours), [1, 2, 0, 3]);
  t.deepEqual(Array.from(fromEdgeList(3, []).offsets), [0, 0, 0, 0]);
});

test('fromEdgeList keeps duplicate edges: each counts twice', (t) => {
  const graph = fromEdgeList(3, [[0, 1], [1, 0], [1, 2]]);
  t.deepEqual(Array.from(graph.offsets), [0, 2, 5, 6]);
  t.deepEqual(Array.from(graph.neighbours), [1, 1, 0, 0, 2, 1]);
});

test('checkGraph converts number arrays to Int32Array and keeps Int32Arrays', (t) => {
  const graph = checkGraph({ nodes: 3, offsets: [0, 1, 3, 4], neighbours: [1, 0, 2, 1] });
  t.true(graph.offsets instanceof Int32Array && graph.neighbours instanceof Int32Array);
  t.deepEqual(Array.from(graph.neighbours), [1, 0, 2, 1]);
  const offsets = Int32Array.from([0, 1, 3, 4]);
  t.is(checkGraph({ nodes: 3, offsets, neighbours: new Int32Array([1, 0, 2, 1]) }).offsets, offsets);
  t.true(sameGraph(checkGraph(wattsStrogatz({ nodes: 20, k: 4, rewire: 0.5 })), wattsStrogatz({ nodes: 20, k: 4, rewire: 0.5 })));
  t.deepEqual(checkGraph({ nodes: 0, offsets: [0], neighbours: [] }).nodes, 0);
});

test('erdosRenyi(2000, 0.005): mean degree within 4 standard errors of p (n - 1), simple and undirected', (t) => {
  const n = 2000;
  const p = 0.005;
  // Twice the edge count over n, the edge count Binomial(n (n - 1) / 2, p).
  const standardError = Math.sqrt((2 * (n - 1) * p * (1 - p)) / n);
  for (const seed of [0, 1, 2]) {
    const graph = erdosRenyi({ nodes: n, p, seed });
    const meanDegree = graph.neighbours.length / n;
    t.true(Math.abs(meanDegree - p * (n - 1)) < 4 * standardError, `seed ${seed}: mean degree ${meanDegree}, expected ${p * (n - 1)} ± ${standardError}`);
    assertSimpleUndirected(t, graph);
  }
  const byDegree = erdosRenyi({ nodes: n, meanDegree: 4, seed: 5 });
  t.true(Math.abs(byDegree.neighbours.length / n - 4) < 4 * Math.sqrt((2 * 4 * (1 - 4 / (n - 1))) / n));
});

test('erdosRenyi: each pair is an edge with probability p (the skipping visits every pair)', (t) => {
  const n = 8;
  const p = 0.3;
  const runs = 4000;
  const counts = new Map<string, number>();
  for (let seed = 0; seed < runs; seed++) {
    const graph = erdosRenyi({ nodes: n, p, seed });
    for (let u = 0; u < n; u++) for (const v of neighboursOf(graph, u)) if (u < v) counts.set(`${u},${v}`, (counts.get(`${u},${v}`) ?? 0) + 1);
  }
  const standardError = Math.sqrt((p * (1 - p)) / runs);
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      const frequency = (counts.get(`${u},${v}`) ?? 0) / runs;
      t.true(Math.abs(frequency - p) < 4 * standardError, `pair ${u},${v}: frequency ${frequency}`);
    }
  }
});

test('erdosRenyi: seeded, p = 0 empty, p = 1 complete, sparse large graphs in linear time', (t) => {
  const a = erdosRenyi({ nodes: 300, p: 0.02, seed: 9 });
  t.true(sameGraph(a, erdosRenyi({ nodes: 300, p: 0.02, seed: 9n })));
  t.false(sameGraph(a, erdosRenyi({ nodes: 300, p: 0.02, seed: 10 })));
  t.true(sameGraph(erdosRenyi({ nodes: 300, p: 0.02 }), erdosRenyi({ nodes: 300, p: 0.02, seed: 0 })));
  t.is(erdosRenyi({ nodes: 50, p: 0 }).neighbours.length, 0);
  t.true(sameGraph(erdosRenyi({ nodes: 30, p: 1, seed: 4 }), complete(30)));
  t.is(erdosRenyi({ nodes: 1, meanDegree: 0 }).neighbours.length, 0);
  // A pinned graph: the stream and the skipping must not change across platforms or versions.
  const pinned = erdosRenyi({ nodes: 6, p: 0.5, seed: 1 });
  t.deepEqual({ offsets: Array.from(pinned.offsets), neighbours: Array.from(pinned.neighbours) }, PINNED_ER_6_HALF_SEED_1);
  // O(n^2) pair testing would take hours here.
  const large = erdosRenyi({ nodes: 1_000_000, meanDegree: 3, seed: 2 });
  t.true(Math.abs(large.neighbours.length / 1e6 - 3) < 0.02);
});

const PINNED_ER_6_HALF_SEED_1 = { offsets: [0, 1, 3, 4, 5, 6, 8], neighbours: [5, 4, 5, 3, 2, 1, 0, 1] };

test('wattsStrogatz with rewire 0 is the ring lattice', (t) => {
  const lattice = wattsStrogatz({ nodes: 6, k: 4, rewire: 0, seed: 3 });
  t.deepEqual(Array.from(lattice.offsets), [0, 4, 8, 12, 16, 20, 24]);
  t.deepEqual(Array.from(lattice.neighbours), [1, 2, 4, 5, 0, 2, 3, 5, 0, 1, 3, 4, 1, 2, 4, 5, 0, 2, 3, 5, 0, 1, 3, 4]);
  t.true(sameGraph(lattice, ring(6, 4)));
  const thin = wattsStrogatz({ nodes: 5, k: 2, rewire: 0 });
  t.deepEqual(Array.from(thin.offsets), [0, 2, 4, 6, 8, 10]);
  t.deepEqual(Array.from(thin.neighbours), [1, 4, 0, 2, 1, 3, 2, 4, 0, 3]);
  t.true(sameGraph(ring(7, 6), complete(7)));
});

test('wattsStrogatz with rewire 1: n k / 2 edges, simple, undirected, degree >= k / 2, clustering drops', (t) => {
  const n = 500;
  const k = 6;
  const lattice = wattsStrogatz({ nodes: n, k, rewire: 0 });
  // A ring lattice's clustering is 3 (k - 2) / (4 (k - 1)).
  t.true(Math.abs(meanClustering(lattice) - (3 * (k - 2)) / (4 * (k - 1))) < 1e-12);
  const rewired = wattsStrogatz({ nodes: n, k, rewire: 1, seed: 1 });
  t.is(edgeCount(rewired), (n * k) / 2);
  assertSimpleUndirected(t, rewired);
  t.true(Math.min(...degrees(rewired)) >= k / 2);
  const clustering = meanClustering(rewired);
  t.true(clustering < 0.1, `rewired clustering ${clustering}`);
  const partly = wattsStrogatz({ nodes: n, k, rewire: 0.1, seed: 1 });
  const partClustering = meanClustering(partly);
  t.true(partClustering > clustering && partClustering < 0.6, `rewire 0.1 clustering ${partClustering}`);
});

test('wattsStrogatz: dense lattices stay simple, complete ones cannot rewire, seeds reproduce', (t) => {
  for (const seed of [0, 1, 2, 3]) {
    const dense = wattsStrogatz({ nodes: 9, k: 6, rewire: 1, seed });
    t.is(edgeCount(dense), 27);
    assertSimpleUndirected(t, dense);
  }
  t.true(sameGraph(wattsStrogatz({ nodes: 7, k: 6, rewire: 1 }), complete(7)));
  const a = wattsStrogatz({ nodes: 100, k: 4, rewire: 0.3, seed: 5 });
  t.true(sameGraph(a, wattsStrogatz({ nodes: 100, k: 4, rewire: 0.3, seed: 5n })));
  t.false(sameGraph(a, wattsStrogatz({ nodes: 100, k: 4, rewire: 0.3, seed: 6 })));
});

type Thrower = () => unknown;
const badInputs: [string, Thrower, typeof TypeError | typeof RangeError, RegExp][] = [
  // checkGraph
  ['graph not an object', () => checkGraph(3), TypeError, /^graph must be an object \{ nodes, offsets, neighbours \}, got 3$/],
  ['custom name', () => checkGraph(null, 'contacts'), TypeError, /^contacts must be an object/],
  ['nodes not a number', () => checkGraph({ nodes: '3', offsets: [0], neighbours: [] }), TypeError, /^graph\.nodes must be an integer in \[0, 1e8\], got '3'$/],
  ['nodes negative', () => checkGraph({ nodes: -1, offsets: [0], neighbours: [] }), RangeError, /^graph\.nodes must be an integer in \[0, 1e8\], got -1$/],
  ['nodes above 1e8', () => checkGraph({ nodes: 1e8 + 1, offsets: [0], neighbours: [] }), RangeError, /^graph\.nodes must be an integer in \[0, 1e8\], got 100000001$/],
  ['nodes fractional', () => checkGraph({ nodes: 1.5, offsets: [0], neighbours: [] }), RangeError, /^graph\.nodes must be an integer/],
  ['offsets not an array', () => checkGraph({ nodes: 1, offsets: 'x', neighbours: [] }), TypeError, /^graph\.offsets must be an Int32Array or an array of integers, got 'x'$/],
  ['offsets a BigInt64Array', () => checkGraph({ nodes: 0, offsets: new BigInt64Array(1), neighbours: [] }), TypeError, /^graph\.offsets must be .*, got a BigInt64Array$/],
  ['neighbours missing', () => checkGraph({ nodes: 0, offsets: [0] }), TypeError, /^graph\.neighbours must be an Int32Array or an array of integers, got undefined$/],
  ['offset not a number', () => checkGraph({ nodes: 1, offsets: [0, '0'], neighbours: [] }), TypeError, /^graph\.offsets\[1\] must be an integer, got '0'$/],
  ['offset fractional', () => checkGraph({ nodes: 1, offsets: [0, 0.5], neighbours: [] }), RangeError, /^graph\.offsets\[1\] must be an integer, got 0\.5$/],
  ['neighbour fractional', () => checkGraph({ nodes: 2, offsets: [0, 1, 1], neighbours: new Float64Array([0.5]) }), RangeError, /^graph\.neighbours\[0\] must be an integer, got 0\.5$/],
  ['offsets too short', () => checkGraph({ nodes: 3, offsets: [0, 0, 0], neighbours: [] }), RangeError, /^graph\.offsets must have graph\.nodes \+ 1 = 4 entries, got 3$/],
  ['offsets[0] not 0', () => checkGraph({ nodes: 1, offsets: [1, 1], neighbours: [0] }), RangeError, /^graph\.offsets\[0\] must be 0, got 1$/],
  ['offsets decreasing', () => checkGraph({ nodes: 3, offsets: [0, 2, 1, 2], neighbours: [1, 2] }), RangeError, /^graph\.offsets\[2\] must be >= graph\.offsets\[1\] \(2\) and <= graph\.neighbours\.length \(2\), got 1$/],
  ['offset past the end', () => checkGraph({ nodes: 2, offsets: [0, 3, 3], neighbours: [1, 1] }), RangeError, /^graph\.offsets\[1\] must be >= graph\.offsets\[0\] \(0\) and <= graph\.neighbours\.length \(2\), got 3$/],
  ['last offset short', () => checkGraph({ nodes: 2, offsets: [0, 1, 1], neighbours: [1, 0] }), RangeError, /^graph\.offsets\[2\] must be graph\.neighbours\.length \(2\), got 1$/],
  ['neighbour out of range', () => checkGraph({ nodes: 2, offsets: [0, 1, 2], neighbours: [1, 2] }), RangeError, /^graph\.neighbours\[1\] must be a node index in \[0, graph\.nodes - 1\] = \[0, 1\], got 2$/],
  ['negative neighbour', () => checkGraph({ nodes: 2, offsets: [0, 1, 2], neighbours: new Int32Array([-1, 0]) }), RangeError, /^graph\.neighbours\[0\] must be a node index/],
  // fromEdgeList
  ['edge list nodes', () => fromEdgeList(-2, []), RangeError, /^nodes must be an integer in \[0, 1e8\], got -2$/],
  ['edges not a list', () => fromEdgeList(3, 5 as never), TypeError, /^edges must be an array of \[u, v\] pairs or an Int32Array of flat pairs \[u0, v0, u1, v1, \.\.\.\], got 5$/],
  ['edges a Uint32Array', () => fromEdgeList(3, new Uint32Array(2) as never), TypeError, /^edges must be .*, got a Uint32Array$/],
  ['edge not a pair', () => fromEdgeList(3, [[0, 1], [0, 1, 2]] as never), TypeError, /^edges\[1\] must be a pair \[u, v\] of node indices, got an array$/],
  ['edge endpoint not a number', () => fromEdgeList(3, [[0, '1']] as never), TypeError, /^edges\[0\] must be a pair of node indices in \[0, nodes - 1\] = \[0, 2\], got \[0, '1'\]$/],
  ['edge endpoint out of range', () => fromEdgeList(3, [[0, 1], [1, 3]]), RangeError, /^edges\[1\] must be a pair of node indices in \[0, nodes - 1\] = \[0, 2\], got \[1, 3\]$/],
  ['edge endpoint fractional', () => fromEdgeList(3, [[0.5, 1]]), RangeError, /^edges\[0\] must be a pair of node indices/],
  ['self-loop', () => fromEdgeList(3, [[0, 1], [1, 2], [2, 2]]), RangeError, /^edges\[2\] must join two different nodes \(self-loops are not allowed\), got \[2, 2\]$/],
  ['flat self-loop', () => fromEdgeList(3, Int32Array.from([0, 1, 1, 1])), RangeError, /^edges\[2\.\.3\] must join two different nodes/],
  ['flat out of range', () => fromEdgeList(3, Int32Array.from([0, -1])), RangeError, /^edges\[0\.\.1\] must be a pair of node indices in \[0, nodes - 1\] = \[0, 2\], got \[0, -1\]$/],
  ['flat odd length', () => fromEdgeList(3, Int32Array.from([0, 1, 2])), RangeError, /^edges\.length must be even \(an Int32Array of flat pairs\), got 3$/],
  ['directed not boolean', () => fromEdgeList(3, [], { directed: 1 as never }), TypeError, /^options\.directed must be a boolean, got 1$/],
  ['unknown edge list option', () => fromEdgeList(3, [], { direct: true } as never), TypeError, /^'direct' is not an option of fromEdgeList; options are directed$/],
  // erdosRenyi
  ['ER options not an object', () => erdosRenyi(10 as never), TypeError, /^erdosRenyi: options must be an object \{ nodes, p, meanDegree, seed \}, got 10$/],
  ['ER unknown option', () => erdosRenyi({ nodes: 10, p: 0.1, mean: 2 } as never), TypeError, /^'mean' is not an option of erdosRenyi; options are nodes, p, meanDegree, seed$/],
  ['ER nodes missing', () => erdosRenyi({ p: 0.1 } as never), TypeError, /^erdosRenyi: nodes must be an integer in \[0, 1e8\], got undefined$/],
  ['ER nodes fractional', () => erdosRenyi({ nodes: 10.5, p: 0.1 }), RangeError, /^erdosRenyi: nodes must be an integer in \[0, 1e8\], got 10\.5$/],
  ['ER neither p nor meanDegree', () => erdosRenyi({ nodes: 10 }), TypeError, /^erdosRenyi: give exactly one of p and meanDegree, got neither$/],
  ['ER both p and meanDegree', () => erdosRenyi({ nodes: 10, p: 0.1, meanDegree: 2 }), TypeError, /^erdosRenyi: give exactly one of p and meanDegree, got both$/],
  ['ER p above 1', () => erdosRenyi({ nodes: 10, p: 1.5 }), RangeError, /^erdosRenyi: p must be a probability in \[0, 1\], got 1\.5$/],
  ['ER p NaN', () => erdosRenyi({ nodes: 10, p: NaN }), RangeError, /^erdosRenyi: p must be a probability in \[0, 1\], got NaN$/],
  ['ER p not a number', () => erdosRenyi({ nodes: 10, p: '0.1' as never }), TypeError, /^erdosRenyi: p must be a probability in \[0, 1\], got '0\.1'$/],
  ['ER meanDegree too large', () => erdosRenyi({ nodes: 10, meanDegree: 10 }), RangeError, /^erdosRenyi: meanDegree must be a number in \[0, nodes - 1\] = \[0, 9\], got 10$/],
  ['ER meanDegree negative', () => erdosRenyi({ nodes: 10, meanDegree: -1 }), RangeError, /^erdosRenyi: meanDegree must be a number in \[0, nodes - 1\] = \[0, 9\], got -1$/],
  ['ER too many entries', () => erdosRenyi({ nodes: 1e8, meanDegree: 100 }), RangeError, /^erdosRenyi: the expected neighbour entries p nodes \(nodes - 1\) must be at most 2\^31 - 1, got 10000000000; lower p, meanDegree or nodes$/],
  ['ER seed negative', () => erdosRenyi({ nodes: 10, p: 0.1, seed: -1 }), RangeError, /^erdosRenyi: seed must be an integer in \[0, 2\^53 - 1\] or a bigint in \[0, 2\^64 - 1\], got -1$/],
  ['ER seed unsafe', () => erdosRenyi({ nodes: 10, p: 0.1, seed: 2 ** 53 }), RangeError, /^erdosRenyi: seed must be an integer in \[0, 2\^53 - 1\]/],
  ['ER seed bigint too large', () => erdosRenyi({ nodes: 10, p: 0.1, seed: 2n ** 64n }), RangeError, /^erdosRenyi: seed must be .*, got 18446744073709551616$/],
  ['ER seed a string', () => erdosRenyi({ nodes: 10, p: 0.1, seed: '1' as never }), TypeError, /^erdosRenyi: seed must be .*, got '1'$/],
  // wattsStrogatz and ring
  ['WS options missing', () => wattsStrogatz(undefined as never), TypeError, /^wattsStrogatz: options must be an object \{ nodes, k, rewire, seed \}, got undefined$/],
  ['WS unknown option', () => wattsStrogatz({ nodes: 10, k: 2, rewire: 0, p: 0.1 } as never), TypeError, /^'p' is not an option of wattsStrogatz; options are nodes, k, rewire, seed$/],
  ['WS nodes too few', () => wattsStrogatz({ nodes: 2, k: 2, rewire: 0 }), RangeError, /^wattsStrogatz: nodes must be an integer in \[3, 1e8\], got 2$/],
  ['WS k odd', () => wattsStrogatz({ nodes: 10, k: 3, rewire: 0 }), RangeError, /^wattsStrogatz: k must be an even integer in \[2, nodes - 1\] = \[2, 9\], got 3$/],
  ['WS k too large', () => wattsStrogatz({ nodes: 10, k: 10, rewire: 0 }), RangeError, /^wattsStrogatz: k must be an even integer in \[2, nodes - 1\] = \[2, 9\], got 10$/],
  ['WS k zero', () => wattsStrogatz({ nodes: 10, k: 0, rewire: 0 }), RangeError, /^wattsStrogatz: k must be an even integer in \[2, nodes - 1\]/],
  ['WS k missing', () => wattsStrogatz({ nodes: 10, rewire: 0 } as never), TypeError, /^wattsStrogatz: k must be an even integer in \[2, nodes - 1\] = \[2, 9\], got undefined$/],
  ['WS too many entries', () => wattsStrogatz({ nodes: 1e8, k: 22, rewire: 0 }), RangeError, /^wattsStrogatz: nodes k, the neighbour entries, must be at most 2\^31 - 1, got 2200000000$/],
  ['WS rewire negative', () => wattsStrogatz({ nodes: 10, k: 2, rewire: -0.1 }), RangeError, /^wattsStrogatz: rewire must be a probability in \[0, 1\], got -0\.1$/],
  ['WS rewire missing', () => wattsStrogatz({ nodes: 10, k: 2 } as never), TypeError, /^wattsStrogatz: rewire must be a probability in \[0, 1\], got undefined$/],
  ['WS seed fractional', () => wattsStrogatz({ nodes: 10, k: 2, rewire: 0, seed: 1.5 }), RangeError, /^wattsStrogatz: seed must be an integer in \[0, 2\^53 - 1\]/],
  ['ring k odd', () => ring(10, 5), RangeError, /^ring: k must be an even integer in \[2, nodes - 1\] = \[2, 9\], got 5$/],
  ['ring nodes', () => ring(2.5, 2), RangeError, /^ring: nodes must be an integer in \[3, 1e8\], got 2\.5$/],
  // complete
  ['complete too large', () => complete(46342), RangeError, /^complete: nodes must be an integer in \[0, 46341\] \(at most 2\^31 - 1 neighbour entries\), got 46342$/],
  ['complete not a number', () => complete('5' as never), TypeError, /^complete: nodes must be an integer in \[0, 46341\]/],
];

test('every invalid input throws the right error class with a message naming it and its allowed range', (t) => {
  for (const [label, call, errorClass, message] of badInputs) {
    const error = t.throws(call, { instanceOf: errorClass }, label);
    if (error && !message.test(error.message)) t.fail(`${label}: message ${JSON.stringify(error.message)} does not match ${message}`);
  }
});
