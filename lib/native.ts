// The native addon behind a hand-written typed interface. Everything else in lib/ reaches the
// addon through this module only.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Constraint = 'real' | 'positive' | 'unit';
export type DiscreteModeName = 'exact' | 'relaxed' | 'straight-through' | 'smoothed' | 'score';
export type Dtype = 'float32' | 'float64';
export type BackendName = 'cpu' | 'cuda';
export type BackendChoice = BackendName | 'auto';
export type RealArray = Float32Array | Float64Array;

export interface NativeParameterInfo {
  name: string;
  constraint: Constraint;
  reference: number;
}

export interface NativeSettingInfo {
  name: string;
  default: number;
  min: number;
  max: number;
  integer: boolean;
}

export interface NativeModelInfo {
  name: string;
  parameters: NativeParameterInfo[];
  settings: NativeSettingInfo[];
  outputs: string[];
  /** Whether the model reads a contact graph (request.graph). */
  usesGraph: boolean;
}

/** A model written in TypeScript, lowered by defineModel (docs/program-format.md). */
export interface NativeProgram {
  name: string;                       // the model's name
  parameters: { name: string; constraint: 'real' | 'positive' | 'unit'; reference: number }[];
  settings: { name: string; default: number; min: number; max: number; integer: boolean }[];
                                      // settings[0] is agents, settings[1] steps; at most 16 in all
  outputs: string[];                  // at least 1, at most 32
  fields: Int32Array;                 // kind of each per-agent field: 0 real, 1 dual; at most 64
  states: Int32Array;                 // kind of each per-replicate state variable: 0 real, 1 dual; at most 256
  registers: Int32Array;              // kind of each register (docs/program-format.md, Registers); at most 4096
  constants: Float64Array;            // finite numbers; at most 65536
  init: Int32Array;                   // instructions, 5 words each: [op, dst, a, b, c]
  step: Int32Array;
}

export interface NativeIntervention {
  parameter: number;                    // index of the scaled model parameter
  from: number;                         // first step it applies to
  to?: number;                          // first step it no longer applies to (default: never)
}

export interface NativeSimulateRequest {
  model?: string;                       // a registered model's name, or
  program?: NativeProgram;              // a model program (defineModel), validated by the addon
  theta: number[];                      // natural units, in the model's parameter order
  thetaTable?: Float64Array;            // optional [replicates][theta.length]: one point per replicate
  interventions?: NativeIntervention[]; // their factors follow the model's parameters in theta
  graph?: { offsets: Int32Array; neighbours: Int32Array };
  settings?: Record<string, number>;    // by name; missing settings take their defaults
  tangents?: number[];                  // parameter indices, one tangent lane each
  replicates: number;
  seed?: number | bigint;
  firstReplicate?: number;              // replicate r draws the random numbers of replicate firstReplicate + r
  wholeReplicates?: number;             // replicates of the whole call this one is a piece of (CUDA plans blocks for it)
  discrete?: { mode?: DiscreteModeName; tau?: number; sharpness?: number };
  dtype?: Dtype;
  backend?: BackendChoice;
  devices?: 'all' | readonly number[];  // CUDA devices to spread the replicates over (default: device 0)
  threads?: number;                     // 0: all cores
  maxBytes?: number;                    // 0: the default cap
  cancel?: Int32Array;                  // set element 0 to non-zero to stop early
}

export interface NativeSimulateResult {
  values: RealArray;
  tangents: RealArray | null;
  logProb: RealArray | null;
  backend: BackendName;
  /** Count of NaN or infinite numbers among values, tangents and logProb. */
  nonFinite: number;
}

export type InstructionSet = 'baseline' | 'avx2' | 'avx512';

export interface NativeBackendInfo {
  backends: BackendName[];
  defaultBackend: BackendName;
  /**
   * instructionSet: the CPU kernels chosen at load time, 'baseline' (x86-64), 'avx2' or 'avx512';
   * instructionSets: the sets this binary carries (a source build: baseline and the widest this
   * processor runs; a prebuilt binary: all three); portable: whether the baseline set carries every
   * kernel, so that the binary runs on any x86-64 processor (a prebuilt binary), or leaves the
   * agent-heavy models' float32 kernels to the widest set (a source build for this processor).
   */
  cpu: { threads: number; instructionSet: InstructionSet; instructionSets: InstructionSet[]; portable: boolean };
  cuda: {
    compiled: boolean;
    available: boolean;
    /** Visible CUDA devices (CUDA_VISIBLE_DEVICES applies); `device` and the memory are device 0's. */
    deviceCount: number;
    device: string | null;
    computeCapability: string | null;
    totalMemory: number;
    freeMemory: number;
    runtimeVersion: number;
    reason: string | null;
  };
  tangentBuckets: number[];
}

export interface NativeInternals {
  philox(rounds: 7 | 10, counter: number[], key: number[]): number[];
  variates(kind: 'uniform' | 'normal' | 'logistic' | 'gumbel', dtype: Dtype, seed: number, count: number): Float64Array;
  dual(fn: string, x: number, y?: number): [number, number, number];
  bernoulli(p: number, u: number, mode: DiscreteModeName, tau: number): [number, number, number, number];
  threshold(x: number, a: number, mode: DiscreteModeName, sharpness: number): [number, number];
  deadZoneSign(x: number, w: number, mode: DiscreteModeName, sharpness: number, dtype: Dtype): [number, number, number];
  /**
   * Per replicate, the float32 sum of its uniforms at slot 0 over `steps` steps, drawn and summed by
   * the CPU kernels as a model's agent loops draw and sum them; synchronous, on `threads` threads
   * (0: every core). The benchmark's generator bound.
   */
  uniformSums(seed: number, replicates: number, agents: number, steps: number, threads: number): Float64Array;
}

export interface NativeAddon {
  simulate(request: NativeSimulateRequest): Promise<NativeSimulateResult>;
  models(): NativeModelInfo[];
  backendInfo(): NativeBackendInfo;
  internals: NativeInternals;
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function loadAddon(): NativeAddon {
  const require = createRequire(import.meta.url);
  // An explicit binary, e.g. the sanitizer build of `npm run test:asan`.
  const explicit = process.env['AGENTGRAD_ADDON'];
  if (explicit) return require(explicit) as NativeAddon;
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    return nodeGypBuild(packageRoot) as NativeAddon;
  } catch (cause) {
    throw new Error(
      `agentgrad: no native binary for ${process.platform}-${process.arch} (Node ${process.version}) was found ` +
        `in prebuilds/ or build/. Build one with 'npm rebuild agentgrad' (needs python3, make and a C++17 compiler).`,
      { cause },
    );
  }
}

let addon: NativeAddon | undefined;

export function native(): NativeAddon {
  addon ??= loadAddon();
  return addon;
}
