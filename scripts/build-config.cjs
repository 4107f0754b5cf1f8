#!/usr/bin/env node
// What a native build compiles, for binding.gyp, scripts/nvcc.cjs and scripts/install.cjs.
//   node scripts/build-config.cjs --cpu-isa avx2|avx512  -> 1 when the build carries that wide set, else 0
//   node scripts/build-config.cjs --cpu-compact          -> 1 for a compact build for this processor, else 0
//   node scripts/build-config.cjs --cuda-archs           -> the CUDA architectures, space-separated, or nothing
//   node scripts/build-config.cjs --summary              -> one line for people
//
// CPU: a source build is compact, for this processor: the agent-heavy models' float kernels for
// the widest set it runs only (it never runs their baseline ones), baseline x86-64 for the rest,
// and float64 kernels that read the estimator mode at run time (one kernel for four modes; the
// same numbers, 1.5-1.8x slower on models with discrete draws). A release prebuild
// (AGENTGRAD_CPU_ISAS=all) compiles every set in full, with a float64 kernel per mode, and
// AGENTGRAD_CPU_ISAS="baseline avx2" names the sets, in full.
// CUDA: built only where it can run, for the visible GPU's own architecture, unless asked:
// AGENTGRAD_CUDA=all (release prebuilds, CI) every architecture this nvcc supports from sm_70 to
// sm_90; AGENTGRAD_CUDA=1 the visible GPU's, or every one when none is visible; AGENTGRAD_CUDA=0
// or AGENTGRAD_NO_CUDA=1 none; AGENTGRAD_CUDA_ARCHS="80 90" exactly those. nvcc must be found.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const WIDE_SETS = ['avx2', 'avx512'];
const RELEASE_ARCHS = [70, 75, 80, 86, 89, 90];

function cpuFlags() {
  try {
    const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
    return new Set((/^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '').trim().split(/\s+/));
  } catch {
    return new Set();
  }
}

function widestLocalSet() {
  if (os.arch() !== 'x64') return null;
  const flags = cpuFlags();
  if (['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => flags.has(f))) return 'avx512';
  if (flags.has('avx2') && flags.has('bmi2')) return 'avx2';
  return null;
}

// The sets named by AGENTGRAD_CPU_ISAS: { wide: the wide sets, compact: whether the build is the
// compact one for this processor }.
function cpuSets() {
  const requested = (process.env.AGENTGRAD_CPU_ISAS ?? 'native').trim();
  if (os.arch() !== 'x64') return { wide: [], compact: false };
  if (requested === 'all') return { wide: WIDE_SETS, compact: false };
  if (requested === 'native' || requested === '') {
    const widest = widestLocalSet();
    return widest ? { wide: [widest], compact: true } : { wide: [], compact: false };
  }
  const names = requested.split(/[\s,]+/).filter(Boolean);
  for (const name of names) {
    if (name !== 'baseline' && !WIDE_SETS.includes(name)) {
      throw new Error(`AGENTGRAD_CPU_ISAS: unknown instruction set '${name}' (allowed: all, native, or a list of baseline, avx2, avx512)`);
    }
  }
  const wide = WIDE_SETS.filter((s) => names.includes(s));
  return { wide, compact: false };
}

function wideSets() {
  return cpuSets().wide;
}

function findNvcc() {
  const candidates = [];
  if (process.env.CUDA_PATH) candidates.push(path.join(process.env.CUDA_PATH, 'bin', 'nvcc'));
  for (const dir of (process.env.PATH || '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'nvcc'));
  candidates.push('/usr/local/cuda/bin/nvcc');
  return candidates.find((c) => fs.existsSync(c)) || '';
}

function supportedArchs(nvcc) {
  const listed = execFileSync(nvcc, ['--list-gpu-arch'], { encoding: 'utf8' });
  return listed.split(/\s+/).filter(Boolean).map((a) => Number(a.replace('compute_', '')));
}

// The compute capability of GPU 0 as a number (9.0 -> 90), or null where no driver answers.
function visibleGpuArch(nvcc) {
  const smi = spawnSync('nvidia-smi', ['--query-gpu=compute_cap', '--format=csv,noheader'], { encoding: 'utf8' });
  const listed = smi.status === 0 ? /(\d+)\.(\d+)/.exec(smi.stdout) : null;
  if (listed) return Number(listed[1]) * 10 + Number(listed[2]);
  if (!fs.existsSync('/dev/nvidia0') && !fs.existsSync('/proc/driver/nvidia')) return null;
  return probeArch(nvcc);
}

// Where a driver is present but nvidia-smi is not: a one-line CUDA program asks the runtime.
function probeArch(nvcc) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentgrad-arch-'));
  try {
    const source = path.join(dir, 'arch.cu');
    fs.writeFileSync(source, '#include <cstdio>\n#include <cuda_runtime.h>\nint main(){cudaDeviceProp p;' +
      'if(cudaGetDeviceProperties(&p,0)!=cudaSuccess)return 1;std::printf("%d%d",p.major,p.minor);}\n');
    const binary = path.join(dir, 'arch');
    if (spawnSync(nvcc, [source, '-o', binary], { stdio: 'ignore' }).status !== 0) return null;
    const run = spawnSync(binary, [], { encoding: 'utf8' });
    return run.status === 0 && /^\d+$/.test(run.stdout) ? Number(run.stdout) : null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function cudaArchs() {
  const request = (process.env.AGENTGRAD_CUDA ?? '').trim();
  if (process.env.AGENTGRAD_NO_CUDA === '1' || request === '0') return [];
  const nvcc = findNvcc();
  if (!nvcc) {
    if (request === '1' || request === 'all' || process.env.AGENTGRAD_CUDA_ARCHS) {
      throw new Error('AGENTGRAD_CUDA asks for the CUDA backend, but nvcc is not on PATH, in CUDA_PATH or /usr/local/cuda/bin');
    }
    return [];
  }
  const supported = new Set(supportedArchs(nvcc));
  const explicit = (process.env.AGENTGRAD_CUDA_ARCHS ?? '').split(/[\s,]+/).filter(Boolean).map(Number);
  let wanted;
  if (explicit.length > 0) wanted = explicit;
  else if (request === 'all') wanted = RELEASE_ARCHS;
  else {
    const visible = visibleGpuArch(nvcc);
    if (visible !== null) wanted = [visible];
    else if (request === '1') wanted = RELEASE_ARCHS;
    else return [];
  }
  const archs = wanted.filter((a) => supported.has(a));
  if (archs.length === 0) throw new Error(`nvcc (${nvcc}) supports none of the CUDA architectures ${wanted.join(', ')}`);
  return archs;
}

function summary() {
  const archs = cudaArchs();
  const { wide, compact } = cpuSets();
  const cpu = compact ? `compact, for this processor (${wide.join(' + ')} for the agent-heavy float kernels, baseline for the rest)` : ['baseline', ...wide].join(' + ');
  const cuda = archs.length > 0 ? `CUDA for ${archs.map((a) => `sm_${a}`).join(', ')}` : 'no CUDA backend (no GPU driver found; AGENTGRAD_CUDA=1 builds it)';
  return `CPU kernels: ${cpu}; ${cuda}`;
}

module.exports = { cpuSets, wideSets, cudaArchs, findNvcc, summary };

if (require.main === module) {
  const [flag, value] = process.argv.slice(2);
  if (flag === '--cpu-compact') process.stdout.write(cpuSets().compact ? '1' : '0');
  else if (flag === '--cpu-isa' && WIDE_SETS.includes(value)) process.stdout.write(wideSets().includes(value) ? '1' : '0');
  else if (flag === '--cuda-archs') process.stdout.write(cudaArchs().join(' '));
  else if (flag === '--summary') process.stdout.write(`${summary()}\n`);
  else {
    process.stderr.write('usage: build-config.cjs --cpu-isa avx2|avx512 | --cpu-compact | --cuda-archs | --summary\n');
    process.exit(2);
  }
}
