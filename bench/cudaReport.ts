// CUDA static report: compiles each native/cuda/models/<model>.cu (one translation unit per model;
// cuda_backend.cu itself only dispatches) and native/cuda/program.cu (the model-program
// interpreter's kernels, reported as model `program`) for one architecture with `-Xptxas -v` (the flags
// scripts/nvcc.cjs uses), in parallel up to the core count, and lists registers, stack, spill
// stores/loads and shared memory per kernel, with demangled names split into model and scalar type
// and the .cu file that holds the kernel. Kernels that spill are flagged. Needs nvcc, not a GPU;
// skipped with a note when nvcc is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface KernelRow {
  model: string;
  scalar: string;
  registers: number;
  stackBytes: number;
  spillStoreBytes: number;
  spillLoadBytes: number;
  sharedBytes: number;
  spills: boolean;
  name: string;
  /** The translation unit that holds the kernel, relative to the repository root. */
  file?: string;
}

export interface CudaReport {
  skipped: string | null;
  arch: string;
  nvcc: string | null;
  nvccVersion: string | null;
  /** The nvcc arguments, with the model's .cu file and object as native/cuda/models/<model>.cu and <model>.o. */
  command: string[];
  /** Wall time of all the compiles, run in parallel. */
  compileSeconds: number;
  /** Each translation unit: its compile time and kernels. */
  files: Array<{ file: string; compileSeconds: number; kernels: number; spilling: number }>;
  kernels: KernelRow[];
  spilling: number;
  /** Non-kernel device functions with their own stack frames and spills (e.g. libdevice slow paths). */
  callees: Array<{ name: string; stackBytes: number; spillStoreBytes: number; spillLoadBytes: number }>;
}

// nvcc.cjs --path names nvcc only for a build that carries CUDA, which by default needs a visible
// GPU; the report needs nvcc alone, so it asks as a release build (AGENTGRAD_CUDA=all) would.
function nvccPath(): string {
  const env = { ...process.env, AGENTGRAD_NO_CUDA: '', AGENTGRAD_CUDA: 'all', AGENTGRAD_CUDA_ARCHS: '' };
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'nvcc.cjs'), '--path'], { encoding: 'utf8', env });
  return r.status === 0 ? r.stdout.trim() : '';
}

function demangle(names: string[]): string[] {
  if (names.length === 0) return [];
  const r = spawnSync('c++filt', [], { input: names.join('\n') + '\n', encoding: 'utf8' });
  if (r.status !== 0) return names;
  const out = r.stdout.split('\n');
  return names.map((n, i) => out[i] || n);
}

// simulate_replicates_kernel<ag::Volatility, ag::Dual<float, 4> >(...) -> model, scalar;
// program_kernel<ag::Dual<float, 4> >(...) (native/cuda/program.cu) -> program, scalar.
function modelAndScalar(demangled: string): { model: string; scalar: string } {
  const open = demangled.indexOf('<');
  if (open < 0) return { model: demangled, scalar: '' };
  const program = /\bprogram_kernel$/.test(demangled.slice(0, open));
  let depth = 0;
  let end = open;
  for (let i = open; i < demangled.length; i++) {
    if (demangled[i] === '<') depth++;
    else if (demangled[i] === '>' && --depth === 0) {
      end = i;
      break;
    }
  }
  const args = demangled.slice(open + 1, end);
  let split = -1;
  depth = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '<') depth++;
    else if (args[i] === '>') depth--;
    else if (args[i] === ',' && depth === 0) {
      split = i;
      break;
    }
  }
  const strip = (s: string) => s.trim().replace(/^ag::/, '').replace(/ag::/g, '');
  if (program) return { model: 'program', scalar: strip(args) };
  return split < 0 ? { model: strip(args), scalar: '' } : { model: strip(args.slice(0, split)), scalar: strip(args.slice(split + 1)) };
}

// float, double, Dual<float, 1..16>, Dual<double, 1..16>.
function scalarRank(scalar: string): number {
  const dual = /Dual<(float|double), (\d+)>/.exec(scalar);
  if (dual) return (dual[1] === 'float' ? 100 : 200) + Number(dual[2]);
  return scalar === 'float' ? 0 : scalar === 'double' ? 1 : 50;
}

export function parsePtxasLog(log: string): { kernels: KernelRow[]; callees: CudaReport['callees'] } {
  const lines = log.split('\n');
  const entries: Array<Omit<KernelRow, 'model' | 'scalar'>> = [];
  const callees: CudaReport['callees'] = [];
  let current: Omit<KernelRow, 'model' | 'scalar'> | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const entry = /Compiling entry function '([^']+)'/.exec(line);
    if (entry) {
      current = { name: entry[1]!, registers: 0, stackBytes: 0, spillStoreBytes: 0, spillLoadBytes: 0, sharedBytes: 0, spills: false };
      entries.push(current);
      continue;
    }
    const props = /Function properties for (\S+)/.exec(line);
    if (props) {
      const stats = /(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads/.exec(lines[i + 1] ?? '');
      if (!stats) continue;
      const [stack, stores, loads] = [Number(stats[1]), Number(stats[2]), Number(stats[3])];
      if (current && props[1] === current.name) {
        current.stackBytes = stack;
        current.spillStoreBytes = stores;
        current.spillLoadBytes = loads;
        current.spills = stores > 0 || loads > 0;
      } else {
        callees.push({ name: props[1]!, stackBytes: stack, spillStoreBytes: stores, spillLoadBytes: loads });
      }
      i++;
      continue;
    }
    const used = /Used (\d+) registers.*?(?:(\d+) bytes smem)?$/.exec(line);
    if (used && current) {
      current.registers = Number(used[1]);
      current.sharedBytes = used[2] ? Number(used[2]) : 0;
    }
  }
  const pretty = demangle(entries.map((e) => e.name));
  const kernels = entries.map((e, i) => {
    const name = pretty[i]!.replace(/^ag::cuda::\(anonymous namespace\)::/, '');
    return { ...modelAndScalar(name), ...e, name };
  });
  const calleeNames = demangle(callees.map((c) => c.name));
  return { kernels, callees: callees.map((c, i) => ({ ...c, name: calleeNames[i]! })) };
}

interface CompileResult {
  status: number | null;
  output: string;
  seconds: number;
}

// Runs nvcc once per argument list, `parallel` at a time, and waits for all: a child Node process
// runs them asynchronously, so that cudaReport stays synchronous for bench/run.ts.
const parallelRunner = `
const { spawn } = require('node:child_process');
const { nvcc, parallel, jobs } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const results = new Array(jobs.length);
let next = 0;
function start() {
  if (next >= jobs.length) return Promise.resolve();
  const index = next++;
  const began = Date.now();
  return new Promise((resolve) => {
    const child = spawn(nvcc, jobs[index], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => (output += String(error)));
    child.on('close', (status) => {
      results[index] = { status, output, seconds: (Date.now() - began) / 1000 };
      resolve();
    });
  }).then(start);
}
Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, start)).then(() => process.stdout.write(JSON.stringify(results)));
`;

function compileAll(nvcc: string, jobs: string[][], parallel: number): CompileResult[] {
  const r = spawnSync(process.execPath, ['-e', parallelRunner], {
    input: JSON.stringify({ nvcc, parallel, jobs }),
    encoding: 'utf8',
    maxBuffer: 1024 * 2 ** 20,
  });
  if (r.status !== 0) throw new Error(`the parallel nvcc runner failed (exit ${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as CompileResult[];
}

export function cudaReport(options: { arch?: string; log?: (line: string) => void } = {}): CudaReport {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const arch = options.arch ?? process.env['AGENTGRAD_CUDA_REPORT_ARCH'] ?? '90';
  const nvcc = nvccPath();
  const empty: CudaReport = { skipped: null, arch: `sm_${arch}`, nvcc: nvcc || null, nvccVersion: null, command: [], compileSeconds: 0, files: [], kernels: [], spilling: 0, callees: [] };
  if (!nvcc) return { ...empty, skipped: 'nvcc not found (PATH, CUDA_PATH, /usr/local/cuda/bin): no CUDA static report' };
  const version = /release [\d.]+, V[\d.]+/.exec(execFileSync(nvcc, ['--version'], { encoding: 'utf8' }))?.[0] ?? null;
  const modelsDir = join(root, 'native', 'cuda', 'models');
  // Paths relative to the repository root: every model's file, then the program interpreter's.
  const sources = [
    ...readdirSync(modelsDir).filter((f) => f.endsWith('.cu')).sort().map((f) => `native/cuda/models/${f}`),
    'native/cuda/program.cu',
  ];
  const dir = mkdtempSync(join(tmpdir(), 'agentgrad-ptxas-'));
  const flags = ['-std=c++17', '-O3', '-DAGENTGRAD_WITH_CUDA=1', '-Xcompiler', '-fPIC', '-Xptxas', '-v', '-gencode', `arch=compute_${arch},code=sm_${arch}`];
  const jobs = sources.map((f) => [...flags, '-c', join(root, f), '-o', join(dir, f.replace(/^.*\//, '').replace(/\.cu$/, '.o'))]);
  const command = [...flags, '-c', 'native/cuda/models/<model>.cu', '-o', '<model>.o'];
  const parallel = Math.max(1, Math.min(availableParallelism(), sources.length));
  log(`cuda-report: nvcc ${command.join(' ')} for ${sources.length - 1} models and the program interpreter, ${parallel} at a time (a few minutes)`);
  const start = Date.now();
  let results: CompileResult[];
  try {
    results = compileAll(nvcc, jobs, parallel);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const compileSeconds = (Date.now() - start) / 1000;
  const failed = results.findIndex((r) => r.status !== 0);
  if (failed >= 0) {
    const r = results[failed]!;
    return { ...empty, nvccVersion: version, command, compileSeconds, skipped: `nvcc failed on ${sources[failed]} (exit ${r.status}): ${r.output.trim().split('\n').slice(-5).join(' | ')}` };
  }
  const kernels: KernelRow[] = [];
  const callees: CudaReport['callees'] = [];
  const files: CudaReport['files'] = [];
  results.forEach((r, i) => {
    const file = sources[i]!;
    const parsed = parsePtxasLog(r.output);
    kernels.push(...parsed.kernels.map((k) => ({ ...k, file })));
    callees.push(...parsed.callees);
    files.push({ file, compileSeconds: r.seconds, kernels: parsed.kernels.length, spilling: parsed.kernels.filter((k) => k.spills).length });
  });
  kernels.sort((a, b) => a.model.localeCompare(b.model) || scalarRank(a.scalar) - scalarRank(b.scalar) || a.name.localeCompare(b.name));
  return { ...empty, nvccVersion: version, command, compileSeconds, files, kernels, callees, spilling: kernels.filter((k) => k.spills).length };
}

export function cudaReportMarkdown(report: CudaReport): string {
  if (report.skipped) return `skipped: ${report.skipped}`;
  const lines = [
    `nvcc ${report.nvccVersion ?? '?'}, ${report.arch}, -O3 -Xptxas -v; ${report.kernels.length} kernels in ${report.files.length} files, ${report.spilling} spilling; compiled in ${report.compileSeconds.toFixed(0)} s.`,
    '',
    '| model | scalar | kernel | registers | stack B | spill stores B | spill loads B | smem B | spills | file |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const k of report.kernels) {
    const kernel = /(\w+)</.exec(k.name)?.[1] ?? k.name;
    lines.push(`| ${k.model} | ${k.scalar} | ${kernel} | ${k.registers} | ${k.stackBytes} | ${k.spillStoreBytes} | ${k.spillLoadBytes} | ${k.sharedBytes} | ${k.spills ? '**SPILLS**' : 'no'} | ${k.file ?? ''} |`);
  }
  const slow = new Map<string, number>();
  for (const c of report.callees) if (c.spillStoreBytes + c.spillLoadBytes > 0) slow.set(c.name, (slow.get(c.name) ?? 0) + 1);
  if (slow.size > 0) lines.push('', `Device functions that spill (called from kernels): ${[...slow].map(([n, k]) => `${n} (${k}×)`).join(', ')}.`);
  return lines.join('\n');
}
