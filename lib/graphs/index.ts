export { checkGraph, degrees, edgeCount, neighboursOf, type Graph } from './graph.js';
export { fromEdgeList, type EdgeList, type EdgeListOptions } from './edgeList.js';
export { complete, erdosRenyi, ring, wattsStrogatz, type ErdosRenyiOptions, type WattsStrogatzOptions } from './generators.js';
export type { Seed } from './random.js';
